import { useCallback, useEffect, useMemo, useRef, type FormEvent } from 'react';
import { useCommand } from '../../app/command-bus';
import { Button } from '../../components/Button';
import { ErrorText, StatusText } from '../../components/Messages';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { countView, DRAWER_TASKS, type DrawerTask } from '../../state/drawer.slice';

export const TASK_KEYS: Record<DrawerTask, MessageKey> = {
  payIn: 'drawer.task.payIn',
  payOut: 'drawer.task.payOut',
  pickup: 'drawer.task.pickup',
  noSale: 'drawer.task.noSale',
  close: 'drawer.task.close',
};

/**
 * The cash drawer (F5): open it with the float counted by denomination; while it is open, pay in,
 * pay out and open it without a sale (each with a reason and a manager's PIN), take a pick-up to
 * the safe counted by denomination, and close it blind: the count goes in first, and only the
 * core's answer says what it expected and whether the drawer is over or short.
 */
export function DrawerScreen() {
  const { t, fmt } = useI18n();
  const drawer = useAppStore((s) => s.money.drawer);
  const config = useAppStore((s) => s.money.config);
  const d = useAppStore((s) => s.drawerScreen);
  const staffList = useAppStore((s) => s.session.staffList);
  const chooseTask = useAppStore((s) => s.drawerTaskChosen);

  useCommand(
    useCallback(
      (c) => {
        if (c.kind !== 'quickCategory' || drawer?.status !== 'open') return;
        const task = DRAWER_TASKS[c.index];
        if (task) chooseTask(task);
      },
      [drawer?.status, chooseTask],
    ),
  );

  if (!drawer || !config) {
    return (
      <div className="drawer-screen">
        <section className="panel">
          <StatusText>{t('drawer.loading')}</StatusText>
        </section>
      </div>
    );
  }
  const openedBy = staffList.find((s) => s.id === drawer.openedBy)?.name ?? '';
  return (
    <div className="drawer-screen">
      <section className="panel drawer-status" aria-label={t('drawer.title')}>
        <h2>{t('drawer.title')}</h2>
        {drawer.status === 'open' ? (
          <p data-testid="drawer-state" className="status-text status-success">
            {t('drawer.isOpen', { time: drawer.openedAt ? fmt.time(drawer.openedAt) : '', name: openedBy })}
          </p>
        ) : (
          <p data-testid="drawer-state" className="status-text status-warning">
            {t('drawer.isNotOpen')}
          </p>
        )}
        {!config.paymentsAtTill && <p className="muted small">{t('drawer.paymentsElsewhere')}</p>}
        {drawer.status === 'open' && (
          <div className="drawer-tasks" role="group" aria-label={t('drawer.tasks')}>
            {DRAWER_TASKS.map((task, i) => (
              <button
                key={task}
                type="button"
                className={`category${d.task === task ? ' selected' : ''}`}
                aria-pressed={d.task === task}
                aria-keyshortcuts={`Alt+${i + 1}`}
                disabled={d.sending}
                onClick={() => chooseTask(task)}
                data-testid={`drawer-task-${task}`}
              >
                <span>{t(TASK_KEYS[task])}</span>
                <kbd className="kbd">Alt+{i + 1}</kbd>
              </button>
            ))}
          </div>
        )}
        {d.closed && <CloseResult />}
      </section>
      <div className="drawer-work">
        {drawer.status !== 'open' ? <CountForm mode="open" /> : d.task === 'pickup' || d.task === 'close' ? <CountForm mode={d.task} /> : d.task ? <MoveForm task={d.task} /> : <p className="muted hint panel">{t('drawer.chooseTask')}</p>}
      </div>
    </div>
  );
}

/** A note or coin as printed on it: whole yuan without decimals (¥100, ¥0.50). */
function denominationLabel(minor: number, money: (minor: number) => string): string {
  return minor % 100 === 0 ? money(minor).replace(/\.00(?!\d)/, '') : money(minor);
}

/** Notes and coins × count, with a running total from the shared count rules. */
function CountForm({ mode }: { mode: 'open' | 'pickup' | 'close' }) {
  const { t, fmt } = useI18n();
  const d = useAppStore((s) => s.drawerScreen);
  const denominations = useAppStore((s) => s.money.config?.denominations ?? []);
  const changeCount = useAppStore((s) => s.drawerCountChanged);
  const open = useAppStore((s) => s.drawerOpenSubmitted);
  const submitTask = useAppStore((s) => s.drawerTaskSubmitted);
  const first = useRef<HTMLInputElement>(null);
  const view = useMemo(() => {
    try {
      return countView(d.counts, denominations);
    } catch {
      return null;
    }
  }, [d.counts, denominations]);
  useEffect(() => {
    first.current?.focus();
  }, [mode]);
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void (mode === 'open' ? open() : submitTask());
  };
  const title: MessageKey = mode === 'open' ? 'drawer.openTitle' : mode === 'pickup' ? 'drawer.pickupTitle' : 'drawer.closeTitle';
  const action: MessageKey = mode === 'open' ? 'drawer.openSubmit' : mode === 'pickup' ? 'drawer.pickupSubmit' : 'drawer.closeSubmit';
  return (
    <form className="panel count-form" onSubmit={onSubmit} aria-label={t(title)} data-testid={`count-${mode}`}>
      <h2>{t(title)}</h2>
      {mode === 'close' && <p className="muted">{t('drawer.blindHint')}</p>}
      <div className="count-grid" role="group" aria-label={t('drawer.denominations')}>
        {denominations.map((den, i) => {
          const n = view?.counts[String(den)] ?? 0;
          return (
            <label key={den} className="count-cell">
              <span className="count-den">{denominationLabel(den, fmt.money)}</span>
              <span className="count-times" aria-hidden="true">
                ×
              </span>
              <input
                ref={i === 0 ? first : undefined}
                className="count-input"
                inputMode="numeric"
                autoComplete="off"
                value={d.counts[String(den)] ?? ''}
                placeholder="0"
                onChange={(e) => changeCount(den, e.target.value)}
                aria-label={t('drawer.countOf', { denomination: fmt.money(den) })}
                disabled={d.sending}
                data-testid={`count-${den}`}
              />
              <span className="count-sub">{n > 0 ? fmt.money(den * n) : ''}</span>
            </label>
          );
        })}
      </div>
      <p className="count-total-line">
        <span>{t('drawer.total')}</span> <strong data-testid="count-total">{fmt.money(view?.totalMinor ?? 0)}</strong>
      </p>
      {d.error && <ErrorText testId="drawer-error">{t(d.error.key, d.error.params)}</ErrorText>}
      <div className="button-row">
        <Button type="submit" tone="primary" size="large" shortcut="Enter" disabled={d.sending} data-testid="count-submit">
          {d.sending ? t('drawer.sending') : t(action, { amount: fmt.money(view?.totalMinor ?? 0) })}
        </Button>
      </div>
    </form>
  );
}

/** Pay-in, pay-out or no-sale: an amount (not for a no-sale) and a reason; a manager approves. */
function MoveForm({ task }: { task: DrawerTask }) {
  const { t } = useI18n();
  const d = useAppStore((s) => s.drawerScreen);
  const changeAmount = useAppStore((s) => s.drawerAmountChanged);
  const changeReason = useAppStore((s) => s.drawerReasonChanged);
  const submit = useAppStore((s) => s.drawerTaskSubmitted);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, [task]);
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void submit();
  };
  return (
    <form className="panel move-form" onSubmit={onSubmit} aria-label={t(TASK_KEYS[task])} data-testid={`move-${task}`}>
      <h2>{t(TASK_KEYS[task])}</h2>
      <p className="muted">{t('drawer.managerHint')}</p>
      {task !== 'noSale' && (
        <label className="field amount-field">
          <span>{t('drawer.amount')}</span>
          <input ref={first} inputMode="decimal" autoComplete="off" value={d.amount} onChange={(e) => changeAmount(e.target.value)} placeholder="0.00" disabled={d.sending} />
        </label>
      )}
      <label className="field">
        <span>{t('drawer.reason')} *</span>
        <input ref={task === 'noSale' ? first : undefined} autoComplete="off" maxLength={200} value={d.reason} onChange={(e) => changeReason(e.target.value)} disabled={d.sending} />
      </label>
      {d.error && <ErrorText testId="drawer-error">{t(d.error.key, d.error.params)}</ErrorText>}
      <div className="button-row">
        <Button type="submit" tone="primary" shortcut="Enter" disabled={d.sending} data-testid="move-submit">
          {t('drawer.askManager')}
        </Button>
      </div>
    </form>
  );
}

/** The blind close's answer: shown only now, after the count was stored. */
function CloseResult() {
  const { t, fmt } = useI18n();
  const closed = useAppStore((s) => s.drawerScreen.closed)!;
  const over = closed.overShortMinor;
  return (
    <div className="close-result" data-testid="close-result" role="status">
      <h3>{t('drawer.closedTitle')}</h3>
      <dl className="total-rows">
        <div>
          <dt>{t('drawer.counted')}</dt>
          <dd data-testid="close-counted">{fmt.money(closed.countedMinor)}</dd>
        </div>
        <div>
          <dt>{t('drawer.expected')}</dt>
          <dd data-testid="close-expected">{fmt.money(closed.expectedMinor)}</dd>
        </div>
        <div className={over < 0 ? 'neg' : over > 0 ? 'pos' : undefined}>
          <dt>{t(over < 0 ? 'drawer.short' : over > 0 ? 'drawer.over' : 'drawer.exact')}</dt>
          <dd data-testid="close-over-short">{fmt.money(Math.abs(over))}</dd>
        </div>
      </dl>
    </div>
  );
}
