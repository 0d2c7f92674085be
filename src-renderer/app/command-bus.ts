import { useEffect } from 'react';
import type { Command } from './shortcuts';

/**
 * Commands from the keyboard (and the status bar) that a screen's own component carries out,
 * e.g. Alt+3 adds the typed amount to the third quick category. App dispatches, screens listen.
 */
const bus = new EventTarget();

export function dispatchCommand(command: Command): void {
  bus.dispatchEvent(new CustomEvent<Command>('command', { detail: command }));
}

export function useCommand(handler: (command: Command) => void): void {
  useEffect(() => {
    const listener = (e: Event): void => handler((e as CustomEvent<Command>).detail);
    bus.addEventListener('command', listener);
    return () => bus.removeEventListener('command', listener);
  }, [handler]);
}
