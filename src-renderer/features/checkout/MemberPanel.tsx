import { useCallback, useState, type FormEvent } from 'react';
import type { MemberDto } from '../../../src-shared/api/dto';
import { useCommand } from '../../app/command-bus';
import { SHORTCUT_LABELS } from '../../app/shortcuts';
import { Button } from '../../components/Button';
import { ErrorText, Facts, StatusText, TierBadge } from '../../components/Messages';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { RegisterDialog } from '../members/RegisterForm';
import { memberNotes } from './checkout-view';

export const TIER_KEYS: Record<MemberDto['tier'], MessageKey> = { regular: 'tier.regular', silver: 'tier.silver', gold: 'tier.gold', diamond: 'tier.diamond' };

/**
 * Find the customer: a scanner types into the field (keyboard wedge) or sends the code through
 * the core; the cashier can also type a card number, a phone, its last four digits or a name.
 */
export function MemberPanel() {
  const { t } = useI18n();
  const lookup = useAppStore((s) => s.checkout.lookup);
  const member = useAppStore((s) => s.checkout.member);
  const loading = useAppStore((s) => s.checkout.memberLoading);
  const submitQuery = useAppStore((s) => s.checkoutMemberQuerySubmitted);
  const choose = useAppStore((s) => s.checkoutMemberChosen);
  const clearMember = useAppStore((s) => s.checkoutMemberCleared);
  const dismiss = useAppStore((s) => s.checkoutLookupDismissed);
  const activate = useAppStore((s) => s.checkoutCardActivated);
  const [text, setText] = useState('');
  const [registering, setRegistering] = useState(false);

  useCommand(
    useCallback(
      (c) => {
        if (c.kind === 'escape') {
          setText('');
          dismiss();
        }
      },
      [dismiss],
    ),
  );

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    const q = text;
    setText('');
    void submitQuery(q);
  };

  return (
    <section className="panel member-panel" aria-label={t('checkout.memberRegion')}>
      <form onSubmit={onSubmit} className="lookup-form" role="search" aria-label={t('checkout.memberSearch')}>
        <label className="field grow">
          <span>
            {t('checkout.memberQuery')} <kbd className="kbd">{SHORTCUT_LABELS.member}</kbd>
          </span>
          <input
            id="member-query"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={512}
            placeholder={t('checkout.memberPlaceholder')}
            autoFocus
          />
        </label>
        <Button type="submit" tone="secondary" shortcut="Enter">
          {t('checkout.find')}
        </Button>
      </form>

      {lookup.status === 'searching' && <StatusText>{t('checkout.searching')}</StatusText>}
      {lookup.status === 'error' && lookup.error && <ErrorText testId="lookup-error">{t(lookup.error.key, lookup.error.params)}</ErrorText>}
      {lookup.status === 'none' && !lookup.unknownCard && (
        <div className="lookup-none">
          <StatusText testId="lookup-none">{t('checkout.noMember', { query: lookup.query })}</StatusText>
          <Button onClick={() => setRegistering(true)}>{t('checkout.registerNew')}</Button>
        </div>
      )}
      {lookup.unknownCard && (
        <div className="lookup-none" data-testid="unknown-card">
          <StatusText tone="warning">{t('checkout.unknownCard', { card: lookup.unknownCard.maskedCode })}</StatusText>
          <div className="button-row">
            {lookup.unknownCard.activatable && (
              <Button tone="primary" onClick={() => void activate()}>
                {t('checkout.activateCard')}
              </Button>
            )}
            <Button onClick={() => setRegistering(true)}>{t('checkout.registerWithCard')}</Button>
          </div>
        </div>
      )}
      {lookup.status === 'choose' && (
        <ul className="choose-list" aria-label={t('checkout.chooseMember')}>
          {lookup.results.map((m) => (
            <li key={m.id}>
              <button type="button" className="choose-item" onClick={() => void choose(m.id)}>
                <span>{m.maskedName ?? t('member.noName')}</span>
                <span>{m.maskedPhone ?? '—'}</span>
                <TierBadge tier={m.tier} label={t(TIER_KEYS[m.tier])} />
              </button>
            </li>
          ))}
        </ul>
      )}

      {loading && <StatusText>{t('checkout.loadingMember')}</StatusText>}
      {member ? <MemberCard member={member} onClear={clearMember} /> : lookup.status === 'idle' && <p className="muted hint">{t('checkout.guestHint')}</p>}

      {registering && (
        <RegisterDialog
          prefill={
            lookup.unknownCard
              ? { cardCode: lookup.unknownCard.code }
              : /^[+\d\s-]{7,}$/.test(lookup.query)
                ? { phone: lookup.query }
                : { name: lookup.query }
          }
          onClose={() => setRegistering(false)}
          onRegistered={(m) => {
            setRegistering(false);
            void choose(m.id);
          }}
        />
      )}
    </section>
  );
}

export function MemberCard({ member, onClear }: { member: MemberDto; onClear?: () => void }) {
  const { t, fmt } = useI18n();
  const notes = memberNotes(member);
  const choose = useAppStore((s) => s.checkoutMemberChosen);
  return (
    <div className={`member-card member-${member.status}`} data-testid="member-card" aria-label={t('checkout.memberCard')}>
      <div className="member-head">
        <div>
          <div className="member-name" data-testid="member-name">
            {member.maskedName ?? t('member.noName')}
          </div>
          <div className="member-phone" data-testid="member-phone">
            {member.maskedPhone ?? t('member.noPhone')}
          </div>
        </div>
        <TierBadge tier={member.tier} label={t(TIER_KEYS[member.tier])} />
      </div>
      <Facts
        items={[
          { label: t('member.balance'), value: t('common.points', { points: member.balance }), testId: 'member-balance' },
          { label: t('member.birthday'), value: member.birthdayMonthDay ? t('member.birthdayValue', { md: member.birthdayMonthDay }) : '—' },
          {
            label: t('member.nextTier'),
            value: member.nextTier
              ? t('member.nextTierValue', { tier: t(TIER_KEYS[member.nextTier.tier]), spend: fmt.money(member.periodSpendMinor), target: fmt.money(member.nextTier.spendMinor) })
              : '—',
          },
        ]}
      />
      <ul className="notes">
        {notes.map((n) => (
          <li key={n.key} className={`note note-${n.tone ?? 'info'}`} data-testid={n.testId}>
            {t(n.key, n.key === 'member.expiring' && typeof n.params.date === 'string' && n.params.date ? { ...n.params, date: fmt.date(n.params.date) } : n.params)}
          </li>
        ))}
      </ul>
      <div className="button-row">
        {member.status === 'merged' && member.mergedInto && <Button onClick={() => void choose(member.mergedInto!)}>{t('member.openMerged')}</Button>}
        {onClear && (
          <Button tone="quiet" onClick={onClear}>
            {t('checkout.removeMember')}
          </Button>
        )}
      </div>
    </div>
  );
}
