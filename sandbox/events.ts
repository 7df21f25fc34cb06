/** A change Xero would announce by webhook: thin, it names the record and what happened to it. */
export interface ChangeEvent {
  tenantId: string;
  category: 'CONTACT' | 'INVOICE' | 'CREDITNOTE';
  type: 'CREATE' | 'UPDATE';
  resourceId: string;
  /** Sandbox clock time of the change. */
  at: number;
}

export type ChangeSink = (event: ChangeEvent) => void;
