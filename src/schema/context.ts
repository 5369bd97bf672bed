import type { AgentDirectory } from '../agents/agent-directory';
import type { ApiTokenService } from '../auth/api-token-service';
import type { Session } from '../auth/session';
import type { HistoryReader } from '../changes/history';
import type { AppConfig } from '../config/semantics';
import type { CustomerService } from '../customer/service';
import type { CustomerUserService } from '../customer-user/service';
import type { RelationServices } from '../relations/relation-services';
import type { BackendErrors } from './backend-errors';
import type { Loaders } from './loaders';
import type { RelationLoaders } from './relation-loaders';
import type { SearchBudget } from './search-budget';
import type { SearchGates } from './search-gate';

/** The long-lived services resolvers call; built once per app. */
export interface AppServices {
  readonly config: AppConfig;
  readonly customerUsers: CustomerUserService;
  readonly customers: CustomerService;
  readonly agents: AgentDirectory;
  readonly history: HistoryReader;
  /** Bounds the searches running at once (limits.maxConcurrentSearches, largeSearchLimit). */
  readonly searchGates: SearchGates;
  readonly relations: RelationServices;
  readonly apiTokens: ApiTokenService;
}

/** Per request: who is asking, and fresh dataloaders (batching and caching live for one request). */
export interface GraphQLContext {
  readonly session: Session | null;
  readonly services: AppServices;
  readonly loaders: Loaders;
  readonly relationLoaders: RelationLoaders;
  readonly searchBudget: SearchBudget;
  /** Customer-user backends that failed during this request (reported beside the data). */
  readonly backendErrors: BackendErrors;
  /** The request's signal, aborted when its client goes away: its searches stop waiting and are cancelled. */
  readonly clientSignal?: () => AbortSignal;
}
