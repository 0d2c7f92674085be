import type { Locale } from '../i18n/format';
import type { SliceCreator } from './types';

export const LOCALES: readonly Locale[] = ['zh-Hans', 'zh-Hant', 'en'];
export const SETTINGS_STORAGE_KEY = 'tillsmith.settings';
export const IDLE_LOCK_CHOICES = [0, 1, 2, 5, 10, 15, 30] as const;

export interface SettingsState {
  /** The language of this screen. */
  language: Locale;
  /** The customer display's language: the same as this screen, or its own. */
  customerLanguage: Locale | 'same';
  /** Lock the till after this many idle minutes; 0: never. */
  idleLockMinutes: number;
}

export const DEFAULT_SETTINGS: SettingsState = { language: 'zh-Hans', customerLanguage: 'same', idleLockMinutes: 5 };

export interface SettingsSlice {
  settings: SettingsState;
  settingsRestored(): void;
  languageChosen(language: Locale): void;
  customerLanguageChosen(language: Locale | 'same'): void;
  idleLockMinutesChosen(minutes: number): void;
}

/** Reads stored settings, ignoring anything unknown or malformed. */
export function parseStoredSettings(raw: string | null): SettingsState {
  if (!raw) return DEFAULT_SETTINGS;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  if (!v || typeof v !== 'object') return DEFAULT_SETTINGS;
  const o = v as Record<string, unknown>;
  const isLocale = (x: unknown): x is Locale => typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
  return {
    language: isLocale(o.language) ? o.language : DEFAULT_SETTINGS.language,
    customerLanguage: o.customerLanguage === 'same' || isLocale(o.customerLanguage) ? o.customerLanguage : DEFAULT_SETTINGS.customerLanguage,
    idleLockMinutes:
      typeof o.idleLockMinutes === 'number' && Number.isInteger(o.idleLockMinutes) && o.idleLockMinutes >= 0 && o.idleLockMinutes <= 240
        ? o.idleLockMinutes
        : DEFAULT_SETTINGS.idleLockMinutes,
  };
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = ({ storage }) => (set, get) => {
  const save = (next: SettingsState): void => {
    set({ settings: next });
    try {
      storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // storage full or refused: the setting still applies until the page closes
    }
  };
  return {
    settings: DEFAULT_SETTINGS,
    settingsRestored() {
      let raw: string | null = null;
      try {
        raw = storage?.getItem(SETTINGS_STORAGE_KEY) ?? null;
      } catch {
        raw = null;
      }
      set({ settings: parseStoredSettings(raw) });
    },
    languageChosen(language) {
      save({ ...get().settings, language });
    },
    customerLanguageChosen(customerLanguage) {
      save({ ...get().settings, customerLanguage });
    },
    idleLockMinutesChosen(minutes) {
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 240) return;
      save({ ...get().settings, idleLockMinutes: minutes });
    },
  };
};
