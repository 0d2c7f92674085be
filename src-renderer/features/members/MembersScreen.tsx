import { useState, type FormEvent } from 'react';
import type { LedgerEntryDto, MemberDto, MemberExportDto } from '../../../src-shared/api/dto';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorText, Facts, StatusText, TierBadge } from '../../components/Messages';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { MemberCard, TIER_KEYS } from '../checkout/MemberPanel';
import { RegisterForm } from './RegisterForm';

const STATUS_KEYS: Record<MemberDto['status'], MessageKey> = {
  active: 'member.statusActive',
  blocked: 'member.statusBlocked',
  merged: 'member.statusMerged',
  erased: 'member.statusErased',
};

export const ENTRY_KEYS: Record<LedgerEntryDto['kind'], MessageKey> = {
  earn: 'entry.earn',
  bonus: 'entry.bonus',
  redeem: 'entry.redeem',
  expire: 'entry.expire',
  reverse: 'entry.reverse',
  adjust: 'entry.adjust',
};

/** Search, register, activate, replace a card, history, and privacy requests (manager). */
export function MembersScreen() {
  const { t } = useI18n();
  const m = useAppStore((s) => s.members);
  const search = useAppStore((s) => s.memberSearchSubmitted);
  const open = useAppStore((s) => s.memberOpened);
  const openRegister = useAppStore((s) => s.registrationOpened);
  const cancelRegister = useAppStore((s) => s.registrationCancelled);
  const activate = useAppStore((s) => s.memberCardActivated);
  const [text, setText] = useState('');
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void search(text);
  };
  return (
    <div className="members-screen">
      <section className="panel" aria-label={t('members.lookup')}>
        <form onSubmit={onSubmit} className="lookup-form" role="search" aria-label={t('members.lookup')}>
          <label className="field grow">
            <span>{t('members.query')}</span>
            <input id="members-query" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" maxLength={100} autoFocus />
          </label>
          <Button type="submit" tone="primary" shortcut="Enter">
            {t('members.search')}
          </Button>
          <Button onClick={() => openRegister(/^[+\d\s-]{7,}$/.test(text) ? { phone: text } : {})} data-testid="open-register">
            {t('members.register')}
          </Button>
        </form>
        {m.status === 'searching' && <StatusText>{t('checkout.searching')}</StatusText>}
        {m.error && <ErrorText>{t(m.error.key, m.error.params)}</ErrorText>}
        {m.scan?.kind === 'unknown_card' && (
          <div className="lookup-none">
            <StatusText tone="warning">{t('checkout.unknownCard', { card: m.scan.maskedCode })}</StatusText>
            <div className="button-row">
              {m.scan.activatable && <Button onClick={() => void activate((m.scan as { code: string }).code)}>{t('checkout.activateCard')}</Button>}
              <Button onClick={() => openRegister({ cardCode: (m.scan as { code: string }).code })}>{t('checkout.registerWithCard')}</Button>
            </div>
          </div>
        )}
        {m.scan?.kind === 'product' && <StatusText>{t('members.productNotCard', { code: m.scan.ean13 })}</StatusText>}
        {m.status === 'done' && m.mode === 'find' && m.results.length === 0 && <StatusText testId="members-none">{t('checkout.noMember', { query: m.query })}</StatusText>}
        {m.results.length > 1 && (
          <table className="members-table" aria-label={t('members.results')}>
            <thead>
              <tr>
                <th scope="col">{t('member.name')}</th>
                <th scope="col">{t('member.phone')}</th>
                <th scope="col">{t('member.tier')}</th>
                <th scope="col" className="num">
                  {t('member.balance')}
                </th>
                <th scope="col">{t('member.status')}</th>
              </tr>
            </thead>
            <tbody>
              {m.results.map((r) => (
                <tr key={r.id}>
                  <td>
                    <button type="button" className="link" onClick={() => void open(r.id)}>
                      {r.maskedName ?? t('member.noName')}
                    </button>
                  </td>
                  <td>{r.maskedPhone ?? '—'}</td>
                  <td>
                    <TierBadge tier={r.tier} label={t(TIER_KEYS[r.tier])} />
                  </td>
                  <td className="num">{t('common.points', { points: r.balance })}</td>
                  <td>{t(STATUS_KEYS[r.status])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {m.view === 'register' && (
        <section className="panel" aria-label={t('register.title')}>
          <h2>{t('register.title')}</h2>
          <RegisterForm prefill={m.register.prefill} onCancel={cancelRegister} />
        </section>
      )}
      {m.view === 'member' && m.selected && <MemberDetail member={m.selected} />}
    </div>
  );
}

function MemberDetail({ member }: { member: MemberDto }) {
  const { t, fmt } = useI18n();
  const m = useAppStore((s) => s.members);
  const isManager = useAppStore((s) => s.session.current?.role === 'manager');
  const reveal = useAppStore((s) => s.memberRevealRequested);
  const exportData = useAppStore((s) => s.memberExportRequested);
  const erase = useAppStore((s) => s.memberEraseRequested);
  const more = useAppStore((s) => s.memberHistoryMoreRequested);
  const useForSale = useAppStore((s) => s.checkoutMemberChosen);
  const screenChosen = useAppStore((s) => s.screenChosen);
  const openCardDialog = useAppStore((s) => s.cardDialogOpened);
  const cardDialogOpen = useAppStore((s) => s.members.cardDialog.open);
  const [confirmErase, setConfirmErase] = useState(false);
  const canTrade = member.status === 'active' || member.status === 'blocked';
  return (
    <section className="panel member-detail" aria-label={t('members.detail')}>
      <div className="detail-grid">
        <div>
          <MemberCard member={member} />
          <Facts
            items={[
              { label: t('member.registered'), value: fmt.date(member.registeredAt) },
              { label: t('member.marketing'), value: t(member.consentMarketing ? 'common.yes' : 'common.no') },
              { label: t('member.cards'), value: member.cards.length ? member.cards.map((c) => `${c.maskedCode}${c.status === 'inactive' ? ` (${t('member.cardInactive')})` : ''}`).join(', ') : '—', testId: 'member-cards' },
            ]}
          />
          {m.revealed && (
            <div className="revealed" data-testid="revealed" aria-label={t('members.revealed')}>
              <h3>{t('members.revealed')}</h3>
              <Facts
                items={[
                  { label: t('member.name'), value: m.revealed.name ?? '—' },
                  { label: t('member.phone'), value: m.revealed.phone ?? '—' },
                  { label: t('member.birthday'), value: m.revealed.birthday ?? '—' },
                ]}
              />
            </div>
          )}
          <div className="button-row wrap">
            {canTrade && (
              <Button
                tone="primary"
                onClick={() => {
                  void useForSale(member.id);
                  screenChosen('checkout');
                }}
              >
                {t('members.useForSale')}
              </Button>
            )}
            {canTrade && (
              <Button onClick={openCardDialog} data-testid="open-card-dialog">
                {member.cards.length > 0 ? t('members.replaceCard') : t('members.giveCard')}
              </Button>
            )}
            <Button onClick={() => void reveal()} disabled={member.status === 'erased'}>
              {t('members.reveal')}
            </Button>
            <Button onClick={() => void exportData().then((x) => x && downloadExport(x))} disabled={member.status === 'erased'}>
              {t('members.export')}
            </Button>
            {member.status !== 'erased' && (
              <Button tone="danger" onClick={() => setConfirmErase(true)}>
                {t('members.erase')}
              </Button>
            )}
          </div>
          {!isManager && <p className="muted small">{t('members.managerNote')}</p>}
          {canTrade && <RewardsPanel member={member} />}
          {canTrade && <ManagerActions member={member} />}
          {m.exported && <StatusText tone="success">{t('members.exported')}</StatusText>}
          {m.actionError && <ErrorText testId="member-action-error">{t(m.actionError.key, m.actionError.params)}</ErrorText>}
        </div>
        <div>
          <h3>{t('members.history')}</h3>
          {m.history.length === 0 && m.historyStatus !== 'loading' ? (
            <p className="muted">{t('members.noHistory')}</p>
          ) : (
            <table className="history" aria-label={t('members.history')}>
              <thead>
                <tr>
                  <th scope="col">{t('history.date')}</th>
                  <th scope="col">{t('history.kind')}</th>
                  <th scope="col" className="num">
                    {t('history.points')}
                  </th>
                  <th scope="col">{t('history.receipt')}</th>
                </tr>
              </thead>
              <tbody>
                {m.history.map((e) => (
                  <tr key={e.id}>
                    <td>{fmt.date(e.businessDate)}</td>
                    <td>
                      {t(ENTRY_KEYS[e.kind])}
                      {e.reason && <span className="muted small"> · {e.reason}</span>}
                    </td>
                    <td className={`num ${e.points < 0 ? 'neg' : 'pos'}`}>{e.points > 0 ? `+${fmt.points(e.points)}` : fmt.points(e.points)}</td>
                    <td>{e.receiptNo ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {m.historyStatus === 'more' && <Button onClick={() => void more()}>{t('members.moreHistory')}</Button>}
        </div>
      </div>
      {cardDialogOpen && <CardDialog member={member} />}
      {confirmErase && (
        <Dialog title={t('members.eraseTitle')} onClose={() => setConfirmErase(false)}>
          <p>{t('members.eraseExplain')}</p>
          <div className="button-row">
            <Button
              tone="danger"
              onClick={() => {
                setConfirmErase(false);
                void erase();
              }}
            >
              {t('members.eraseConfirm')}
            </Button>
            <Button onClick={() => setConfirmErase(false)} shortcut="Esc">
              {t('common.cancel')}
            </Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function RewardsPanel({ member }: { member: MemberDto }) {
  const { t } = useI18n();
  const rewards = useAppStore((s) => s.members.rewards);
  const busy = useAppStore((s) => s.members.busy);
  const redeem = useAppStore((s) => s.memberRewardRedeemed);
  return (
    <div className="rewards" aria-label={t('members.rewards')}>
      <h3>{t('members.rewards')}</h3>
      {rewards.length === 0 ? (
        <p className="muted">{t('members.noRewards')}</p>
      ) : (
        <div className="button-row wrap">
          {rewards.map((r) => (
            <Button key={r.id} onClick={() => void redeem(r.id)} disabled={busy || member.balance < r.points || member.status === 'blocked'}>
              {r.name} · {t('members.rewardPoints', { points: r.points })}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Adjust points and block or unblock: each asks for a manager's PIN and a reason. */
function ManagerActions({ member }: { member: MemberDto }) {
  const { t } = useI18n();
  const adjust = useAppStore((s) => s.memberPointsAdjusted);
  const toggleBlock = useAppStore((s) => s.memberBlockToggled);
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  return (
    <details className="manager-actions">
      <summary>{t('members.manage')}</summary>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void adjust(Number(points.replace(/[\s,]/g, '').replace('−', '-')), reason).then((ok) => {
            if (ok) {
              setPoints('');
              setReason('');
            }
          });
        }}
      >
        <label className="field">
          <span>{t('members.adjustPoints')}</span>
          <input value={points} onChange={(e) => setPoints(e.target.value)} inputMode="numeric" autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('members.reason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoComplete="off" />
        </label>
        <div className="button-row">
          <Button type="submit">{t('members.adjustSubmit')}</Button>
          <Button tone="danger" onClick={() => void toggleBlock(reason).then((ok) => ok && setReason(''))}>
            {member.status === 'blocked' ? t('members.unblock') : t('members.block')}
          </Button>
        </div>
      </form>
    </details>
  );
}

/**
 * Replace a lost or damaged card (pick it among the member's cards: masked numbers only), or give
 * a first card. The new card is scanned (any scanner: the scan lands here while the dialog is
 * open, shown masked) or typed. Enter saves, Esc closes.
 */
function CardDialog({ member }: { member: MemberDto }) {
  const { t } = useI18n();
  const d = useAppStore((s) => s.members.cardDialog);
  const close = useAppStore((s) => s.cardDialogClosed);
  const choose = useAppStore((s) => s.cardToReplaceChosen);
  const chooseReason = useAppStore((s) => s.cardReplaceReasonChosen);
  const typed = useAppStore((s) => s.newCardTyped);
  const submit = useAppStore((s) => s.cardDialogSubmitted);
  const replacing = member.cards.length > 0;
  return (
    <Dialog title={replacing ? t('members.replaceCard') : t('members.giveCard')} onClose={close}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted">{replacing ? t('members.replaceExplain') : t('members.giveExplain')}</p>
        {replacing && (
          <>
            <fieldset className="choice-list">
              <legend>{t('members.cardToReplace')}</legend>
              {member.cards.map((c) => (
                <label key={c.id} className="check">
                  <input type="radio" name="card-to-replace" value={c.id} checked={d.cardId === c.id} onChange={() => choose(c.id)} />
                  <span>
                    {c.maskedCode} · {t(c.status === 'active' ? 'members.cardInUse' : 'member.cardInactive')}
                  </span>
                </label>
              ))}
            </fieldset>
            <fieldset className="choice-row">
              <legend>{t('members.replaceReason')}</legend>
              {(['lost', 'damaged'] as const).map((r) => (
                <label key={r} className="check">
                  <input type="radio" name="replace-reason" value={r} checked={d.reason === r} onChange={() => chooseReason(r)} />
                  <span>{t(r === 'lost' ? 'members.reasonLost' : 'members.reasonDamaged')}</span>
                </label>
              ))}
            </fieldset>
          </>
        )}
        <label className="field">
          <span>{t('members.newCard')} *</span>
          <input
            value={d.text}
            onChange={(e) => typed(e.target.value)}
            placeholder={t('members.newCardPlaceholder')}
            autoComplete="off"
            maxLength={64}
            data-autofocus
            data-testid="new-card"
          />
        </label>
        {d.error && <ErrorText testId="card-dialog-error">{t(d.error.key, d.error.params)}</ErrorText>}
        <div className="button-row">
          <Button type="submit" tone="primary" disabled={d.status === 'saving'} shortcut="Enter">
            {d.status === 'saving' ? t('members.cardSaving') : replacing ? t('members.replaceSubmit') : t('members.giveSubmit')}
          </Button>
          <Button onClick={close} shortcut="Esc">
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Saves the member's data as a JSON file (a data-access request), in the browser: nothing leaves the till otherwise. */
function downloadExport(x: MemberExportDto): void {
  const blob = new Blob([JSON.stringify(x, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `member-${x.member.id}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
