import type { AreaHandlers } from '../core/handlers';
import type { MembersService } from './members.service';

type MemberMethods =
  | 'members.scan' | 'members.find' | 'members.get' | 'members.register' | 'members.activateCard' | 'members.update'
  | 'members.addCard' | 'members.deactivateCard' | 'members.replaceCard' | 'members.block' | 'members.unblock'
  | 'members.history' | 'members.reveal' | 'members.export' | 'members.erase';

/** Members and their cards: look-ups, registration, edits, and a manager's block, reveal, export and erasure. */
export function createMembersHandlers({ members }: { members: MembersService }): AreaHandlers<MemberMethods> {
  return {
    'members.scan': ({ raw }) => members.scan(raw),
    'members.find': ({ query, by, limit }) => members.find(query, by, limit),
    'members.get': ({ memberId }) => members.get(memberId),
    'members.register': (input, { staff }) => members.register(input, staff),
    'members.activateCard': (input) => members.activateCard(input),
    'members.update': (input, { staff }) => members.update(input, staff),
    'members.addCard': ({ memberId, cardCode }, { staff }) => members.addCard(memberId, cardCode, staff),
    'members.deactivateCard': ({ cardCode, reason }, { staff }) => members.deactivateCard(cardCode, reason, staff),
    'members.replaceCard': (input, { staff }) => members.replaceCard(input, staff),
    'members.block': ({ memberId, reason }, { staff, approver }) => members.setBlocked(memberId, true, reason, staff, approver),
    'members.unblock': ({ memberId, reason }, { staff, approver }) => members.setBlocked(memberId, false, reason, staff, approver),
    'members.history': ({ memberId, limit, before }) => members.history(memberId, limit, before),
    'members.reveal': ({ memberId }, { staff, approver }) => members.reveal(memberId, staff, approver),
    'members.export': ({ memberId }, { staff, approver }) => members.exportData(memberId, staff, approver),
    'members.erase': ({ memberId }, { staff, approver }) => members.erase(memberId, staff, approver),
  };
}
