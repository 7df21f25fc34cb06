/**
 * What the sandbox keeps for each organisation, in Xero's own field names. Dates are `YYYY-MM-DD`
 * strings and instants are epoch milliseconds; the renderers turn them into Xero's wire forms.
 */
import type { IndexedMap } from '../indexed-map.ts';
import type { AccountClass, AccountType } from './chart.ts';

export interface Organisation {
  OrganisationID: string;
  Name: string;
  LegalName: string;
  BaseCurrency: string;
  /** Currencies the organisation is subscribed to, base currency included. */
  currencies: string[];
  CountryCode: string;
  IsDemoCompany: boolean;
  /** Subscription class: DEMO organisations cannot email, TRIAL ones a few per day. */
  Class: 'DEMO' | 'TRIAL' | 'STARTER' | 'STANDARD' | 'PREMIUM';
  ShortCode: string;
  createdAt: number;
  /** Invoice emails per day (Xero: 1,000 paying, 20 trial, 0 demo). */
  emailDailyLimit: number;
  /** Xero's TimeZone enum, e.g. NEWZEALANDSTANDARDTIME. */
  Timezone: string;
  OrganisationType: string;
  /** CurrencyRate (units of that currency per unit of base currency) filled in when a document omits it. */
  currencyRates: Record<string, number>;
  /** Active contacts the plan allows (contact-limit.ts); undefined: no cap. */
  contactLimit?: number;
}

export interface Account {
  AccountID: string;
  Code: string;
  Name: string;
  Type: AccountType;
  Class: AccountClass;
  TaxType: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  SystemAccount?: string;
  EnablePaymentsToAccount: boolean;
  BankAccountNumber?: string;
  CurrencyCode?: string;
  Description?: string;
  updatedAt: number;
}

export interface TaxRate {
  TaxType: string;
  Name: string;
  Rate: number;
  ReportTaxType: string;
  Use: 'sales' | 'purchases' | 'both';
  Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
  CanApplyToAssets: boolean;
  CanApplyToEquity: boolean;
  CanApplyToExpenses: boolean;
  CanApplyToLiabilities: boolean;
  CanApplyToRevenue: boolean;
}

export interface Address {
  AddressType: 'POBOX' | 'STREET';
  AddressLine1?: string; AddressLine2?: string; AddressLine3?: string; AddressLine4?: string;
  City?: string; Region?: string; PostalCode?: string; Country?: string; AttentionTo?: string;
}

export interface Phone {
  PhoneType: 'DEFAULT' | 'DDI' | 'MOBILE' | 'FAX';
  PhoneNumber?: string; PhoneAreaCode?: string; PhoneCountryCode?: string;
}

export interface Contact {
  ContactID: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';
  Name: string;
  ContactNumber?: string;
  AccountNumber?: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  CompanyNumber?: string;
  TaxNumber?: string;
  BankAccountDetails?: string;
  AccountsReceivableTaxType?: string;
  AccountsPayableTaxType?: string;
  DefaultCurrency?: string;
  Addresses: Address[];
  Phones: Phone[];
  updatedAt: number;
}

export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export type TrackingStatus = 'ACTIVE' | 'ARCHIVED' | 'DELETED';

export interface TrackingOption {
  TrackingOptionID: string;
  Name: string;
  Status: TrackingStatus;
}

/** Xero allows at most two ACTIVE categories per organisation. */
export interface TrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Status: TrackingStatus;
  Options: TrackingOption[];
}

export interface BrandingTheme {
  BrandingThemeID: string;
  Name: string;
  LogoUrl?: string;
  /** 0 is the organisation's default theme. */
  SortOrder: number;
  createdAt: number;
}

/** An item's defaults for one side of the books (Xero's "Purchase" schema serves both). */
export interface ItemDetails {
  UnitPrice?: number;
  AccountCode?: string;
  TaxType?: string;
}

/** A product or service with a Code that lines can name (`ItemCode`) to take its defaults. */
export interface Item {
  ItemID: string;
  Code: string;
  Name: string;
  /** The sales description. */
  Description?: string;
  PurchaseDescription?: string;
  IsSold: boolean;
  IsPurchased: boolean;
  SalesDetails: ItemDetails;
  PurchaseDetails: ItemDetails;
  updatedAt: number;
}

/** A line's tracking as Xero stores it once resolved: category and option, by id and by name. */
export interface LineTracking {
  TrackingCategoryID: string;
  TrackingOptionID: string;
  Name: string;
  Option: string;
}

export interface LineItem {
  LineItemID: string;
  Description?: string;
  Quantity?: number;
  UnitAmount?: number;
  ItemCode?: string;
  AccountCode?: string;
  AccountID?: string;
  TaxType?: string;
  TaxAmount: number;
  LineAmount: number;
  DiscountRate?: number;
  DiscountAmount?: number;
  Tracking: LineTracking[];
}

export type InvoiceStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface Invoice {
  InvoiceID: string;
  Type: 'ACCREC' | 'ACCPAY';
  ContactID: string;
  InvoiceNumber: string;
  Reference?: string;
  Url?: string;
  Date: string;
  DueDate?: string;
  ExpectedPaymentDate?: string;
  PlannedPaymentDate?: string;
  BrandingThemeID?: string;
  LineAmountTypes: LineAmountTypes;
  LineItems: LineItem[];
  CurrencyCode: string;
  CurrencyRate: number;
  Status: InvoiceStatus;
  SentToContact: boolean;
  SubTotal: number;
  TotalTax: number;
  Total: number;
  TotalDiscount: number;
  AmountPaid: number;
  AmountCredited: number;
  AmountDue: number;
  FullyPaidOnDate?: string;
  updatedAt: number;
}

export interface Payment {
  PaymentID: string;
  InvoiceID?: string;
  CreditNoteID?: string;
  AccountID: string;
  Date: string;
  Amount: number;
  BankAmount: number;
  CurrencyRate: number;
  Reference?: string;
  IsReconciled: boolean;
  Status: 'AUTHORISED' | 'DELETED';
  PaymentType: 'ACCRECPAYMENT' | 'ACCPAYPAYMENT' | 'ARCREDITPAYMENT' | 'APCREDITPAYMENT';
  updatedAt: number;
}

export type CreditNoteStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface Allocation {
  AllocationID: string;
  InvoiceID: string;
  Amount: number;
  Date: string;
}

export interface CreditNote {
  CreditNoteID: string;
  Type: 'ACCRECCREDIT' | 'ACCPAYCREDIT';
  ContactID: string;
  CreditNoteNumber: string;
  Reference?: string;
  Date: string;
  LineAmountTypes: LineAmountTypes;
  LineItems: LineItem[];
  CurrencyCode: string;
  CurrencyRate: number;
  BrandingThemeID?: string;
  Status: CreditNoteStatus;
  SubTotal: number;
  TotalTax: number;
  Total: number;
  RemainingCredit: number;
  Allocations: Allocation[];
  FullyPaidOnDate?: string;
  updatedAt: number;
}

export interface JournalLine {
  LineAmount: number;
  AccountCode: string;
  AccountID: string;
  Description?: string;
  TaxType: string;
  TaxAmount: number;
  IsBlank: boolean;
  Tracking: LineTracking[];
}

export interface ManualJournal {
  ManualJournalID: string;
  Narration: string;
  Date: string;
  Status: 'DRAFT' | 'POSTED' | 'DELETED' | 'VOIDED';
  LineAmountTypes: LineAmountTypes;
  JournalLines: JournalLine[];
  Url?: string;
  ShowOnCashBasisReports: boolean;
  updatedAt: number;
}

/** One organisation's books. */
export interface Books {
  org: Organisation;
  accounts: Account[];
  taxRates: TaxRate[];
  trackingCategories: TrackingCategory[];
  brandingThemes: BrandingTheme[];
  items: Item[];
  /** Found by name and ContactNumber too (book-maps.ts). */
  contacts: IndexedMap<Contact>;
  /** Found by number and contact too. */
  invoices: IndexedMap<Invoice>;
  /** Found by invoice too. */
  payments: IndexedMap<Payment>;
  /** Found by number too. */
  creditNotes: IndexedMap<CreditNote>;
  manualJournals: Map<string, ManualJournal>;
  /** Next number for auto-numbered sales invoices (INV-0001...) and credit notes (CN-0001...). */
  nextInvoiceNumber: number;
  nextCreditNoteNumber: number;
  emails: { day: string; sentToday: number; total: number };
}
