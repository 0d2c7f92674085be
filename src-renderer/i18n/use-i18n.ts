import { useMemo } from 'react';
import { useAppStore } from '../state/context';
import { createFormatter, type Formatter, type Locale } from './format';
import { translator, type Translate } from './index';

export interface I18n {
  locale: Locale;
  t: Translate;
  fmt: Formatter;
}

/** The screen's language, a translator and Intl formatters for the store's currency and time zone. */
export function useI18n(): I18n {
  const locale = useAppStore((s) => s.settings.language);
  const currency = useAppStore((s) => s.terminal.info?.currency ?? 'CNY');
  const timeZone = useAppStore((s) => s.terminal.info?.timeZone ?? 'Asia/Shanghai');
  return useMemo(() => ({ locale, t: translator(locale), fmt: createFormatter(locale, currency, timeZone) }), [locale, currency, timeZone]);
}
