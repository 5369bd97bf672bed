import { EventEmitter } from 'node:events';

export type EntityType = 'CustomerUser' | 'Customer' | 'Group' | 'Service' | 'ApiToken';

/** What subscribers (cache invalidation, subscriptions, later Redis fan-out) learn after a commit. */
export interface ChangeEvent {
  readonly entityType: EntityType;
  readonly key: string;
  /** Set when the change renamed the record's key. */
  readonly previousKey: string | null;
  readonly action: 'create' | 'update';
  readonly fields: readonly string[];
}

/** In-process fan-out of committed changes. */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
