import { en, type MessageKey } from './messages/en';
import { zhHans } from './messages/zh-Hans';
import { zhHant } from './messages/zh-Hant';
import { INTL_LOCALE, type Locale } from './format';
import type { Params } from './errors';

export type { Locale } from './format';
export type { MessageKey } from './messages/en';

/** Every dictionary has every key (the compiler checks zh-Hans and zh-Hant against English). */
export const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

/** Each language's own name, for the language switch. */
export const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', en: 'English' };

export type Translate = (key: MessageKey, params?: Params) => string;

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** `{name}` placeholders are replaced by params; numbers are formatted for the language. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[locale][key] ?? en[key] ?? key;
  if (!params) return template;
  let nf = numberFormats.get(locale);
  if (!nf) numberFormats.set(locale, (nf = new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 0 })));
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? nf.format(v) : v;
  });
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
