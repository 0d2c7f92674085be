/**
 * The keyboard-wedge detector on a real page: listens to keydown in the capture phase (before
 * the app's own handlers), holds back the keys of a possible scan (preventDefault and
 * stopImmediatePropagation), reports scans, and types held keys back into their field when
 * the burst was a person typing.
 *
 * Input methods: under a Chinese IME the browser reports keyCode 229 and the IME may still
 * commit text into the field at compositionend whatever keydown did. When a scan happened with
 * an IME active, the field's value from before the scan is put back (now, and again when the
 * composition ends).
 */
import { DEFAULT_WEDGE_SETTINGS, WedgeDetector, type DetectedScan, type WedgeSettings } from './wedge-detector';

type Editable = HTMLInputElement | HTMLTextAreaElement | HTMLElement;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password', 'number', '']);

export function isEditable(el: EventTarget | null): el is Editable {
  if (!(el instanceof HTMLElement)) return false;
  if (el instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(el.type) && !el.readOnly && !el.disabled;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  return el.isContentEditable;
}

function isTextField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

/** Sets a form field's value so that React (which tracks the last value it set) sees the change. */
function setFieldValue(el: HTMLInputElement | HTMLTextAreaElement, value: string, inputType: string, data: string | null): void {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType, data }));
}

/** Types `text` into `el` at its caret, as if the keys had not been held. */
export function typeInto(el: Editable, text: string): void {
  const doc = el.ownerDocument;
  if (doc.activeElement === el && doc.execCommand('insertText', false, text)) return;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    let start = el.value.length;
    let end = start;
    try {
      start = el.selectionStart ?? start;
      end = el.selectionEnd ?? end;
    } catch {
      // type=number/email have no selection: append
    }
    setFieldValue(el, el.value.slice(0, start) + text + el.value.slice(end), 'insertText', text);
    try {
      el.setSelectionRange(start + text.length, start + text.length);
    } catch {
      // no selection on this input type
    }
    return;
  }
  el.textContent = `${el.textContent ?? ''}${text}`;
}

export interface KeyboardWedge {
  update(settings: WedgeSettings): void;
  /** Resolves once no key is held back (for tests and for callers that must see the field as typed). */
  idle(): Promise<void>;
  detach(): void;
}

export function attachKeyboardWedge(win: Window, onScan: (scan: DetectedScan) => void, settings: WedgeSettings = DEFAULT_WEDGE_SETTINGS): KeyboardWedge {
  let composing = false;
  let snapshot: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
  let restoreAtCompositionEnd: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
  let idleWaiters: Array<() => void> = [];

  const detector = new WedgeDetector<EventTarget | null>(settings, {
    onScan: (scan) => {
      if (scan.ime && snapshot !== null) {
        const s = snapshot;
        if (s.el.value !== s.value) setFieldValue(s.el, s.value, 'deleteContentBackward', null);
        if (composing) restoreAtCompositionEnd = s;
      }
      snapshot = null;
      onScan(scan);
    },
    onRelease: (text, target) => {
      if (isEditable(target)) typeInto(target, text);
      // A later burst may still be held (the continuation of a head that was given back): the
      // value to put back after its scan is the field as it is now, with the released text.
      snapshot = detector.pending && isTextField(target) ? { el: target, value: target.value } : null;
    },
    setTimer: (fn, ms) => win.setTimeout(fn, ms),
    clearTimer: (h) => win.clearTimeout(h as number),
    onIdle: () => {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    },
  });

  const onKeyDown = (e: KeyboardEvent): void => {
    const target = e.target;
    const editable = isEditable(target);
    const wasPending = detector.pending;
    const verdict = detector.keydown(
      {
        code: e.code,
        key: e.key,
        keyCode: e.keyCode,
        shiftKey: e.shiftKey,
        ctrlKey: e.ctrlKey,
        altKey: e.altKey,
        metaKey: e.metaKey,
        isComposing: e.isComposing || composing,
        at: e.timeStamp,
      },
      target,
      editable,
    );
    // The field's value without the held keys: what a scan typed under an input method is undone to.
    if ((!wasPending || snapshot === null) && detector.pending && editable && isTextField(target)) {
      snapshot = { el: target, value: target.value };
    }
    if (verdict === 'hold') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  };
  const onCompositionStart = (): void => {
    composing = true;
  };
  const onCompositionEnd = (): void => {
    composing = false;
    const r = restoreAtCompositionEnd;
    restoreAtCompositionEnd = null;
    if (r !== null) {
      // The IME commits its text after compositionend's listeners: put the field back after it.
      win.setTimeout(() => {
        if (r.el.value !== r.value) setFieldValue(r.el, r.value, 'deleteContentBackward', null);
      }, 0);
    }
  };

  win.addEventListener('keydown', onKeyDown, true);
  win.addEventListener('compositionstart', onCompositionStart, true);
  win.addEventListener('compositionend', onCompositionEnd, true);
  return {
    update: (s) => detector.update(s),
    idle: () => (detector.pending ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve()),
    detach: () => {
      detector.dispose();
      win.removeEventListener('keydown', onKeyDown, true);
      win.removeEventListener('compositionstart', onCompositionStart, true);
      win.removeEventListener('compositionend', onCompositionEnd, true);
    },
  };
}
