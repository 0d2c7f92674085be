import { z } from 'zod';
import type { MethodSpec } from './access';

/**
 * The sync area of the PosApi contract: the terminal's link with the central server.
 * contract.ts merges every area into the one contract.
 */
const approval = z.object({ staffId: z.string().min(1).max(100), pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits') });

export const syncContract = {
  'sync.status': { access: 'none', writes: false, input: z.object({}).strict() },
  'sync.enrol': { access: 'approval', writes: true,
    input: z.object({
      serverUrl: z.string().url().max(200).refine((u) => /^https?:\/\//.test(u), 'the server address starts with http:// or https://'),
      code: z.string().trim().min(6).max(64),
      approval,
    }),
  },
  'sync.now': { access: 'staff', writes: false, input: z.object({}).strict() },
  'sync.problems': { access: 'staff', writes: false, input: z.object({ limit: z.number().int().min(1).max(500).default(50) }) },
} as const satisfies Record<string, MethodSpec>;

export interface SyncStatusDto {
  state: 'standalone' | 'online' | 'offline';
  serverUrl: string | null;
  lastSuccessAt: string | null;
  /** Changes made here that the server has not acknowledged yet. */
  pending: number;
  lastError: string | null;
  /** Server clock minus this till's clock, in ms (null until the first answer). */
  clockOffsetMs: number | null;
  /** The till's clock is more than 2 minutes off: the operator should fix it (sales go on). */
  clockWarning: boolean;
  /** Changes the server rejected or held aside, kept for the operator. */
  problems: number;
  syncing: boolean;
  /**
   * While the till loads the members from the server (a new till, or one that was away longer than
   * the server keeps its change feed): how many are in so far. Sales go on meanwhile; a member not
   * loaded yet cannot be found. Null otherwise.
   */
  bootstrap: { membersLoaded: number; startedAt: string } | null;
}

export interface SyncProblemDto {
  seq: number;
  kind: string;
  entityId: string;
  status: string;
  reason: string | null;
  at: string;
}

export interface SyncOutputs {
  'sync.status': SyncStatusDto;
  'sync.enrol': SyncStatusDto;
  'sync.now': SyncStatusDto;
  'sync.problems': SyncProblemDto[];
}
