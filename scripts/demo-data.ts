import type { companies, documents, orderEvents, orders, shopSettings, users } from "../app/db/schema";
import { ORDER_STEPS, type OrderSpec } from "../app/db/values";

// Demo data for local development, the browser tests and the worker tests.
// The print shop, its staff and its customers are fictional.

export const DEMO_PASSWORD = "Portal-Demo-2024";

export const DEMO_LOGINS = [
  { email: "kunde@example.com", role: "Kunde (Beispiel Verlag GmbH)" },
  { email: "kunde2@example.com", role: "Kunde (Nordlicht Reisen GmbH)" },
  { email: "kunde3@example.com", role: "Kunde (Hansekontor Logistik GmbH, 55 ältere Aufträge)" },
  { email: "auftragsmanager@example.com", role: "Auftragsmanagerin" },
  { email: "druckvorstufe@example.com", role: "Druckvorstufe" },
  { email: "admin@example.com", role: "Administrator" },
] as const;

/** The demo contact without a password yet: its first login starts at "Passwort vergessen oder noch keines vergeben?". */
export const DEMO_FIRST_LOGIN_EMAIL = "neu@example.com";

export interface DemoDocumentFile {
  documentId: string;
  r2Key: string;
  lines: string[];
}

export interface DemoData {
  shop: typeof shopSettings.$inferInsert;
  companies: (typeof companies.$inferInsert)[];
  users: (typeof users.$inferInsert)[];
  orders: (typeof orders.$inferInsert)[];
  documents: (typeof documents.$inferInsert)[];
  /** History entries: how each demo order reached its state. */
  orderEvents: (typeof orderEvents.$inferInsert)[];
  /** PDFs to generate and store in R2 for the documents above. */
  documentFiles: DemoDocumentFile[];
}

/** Noon in Berlin on the given day, so that the date reads the same in every time zone the tests use. */
function berlinNoon(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day, 10, 0, 0);
}

/** Builds the demo data set with fresh ids; `passwordHash` is the argon2id hash of DEMO_PASSWORD. */
export function buildDemoData(passwordHash: string): DemoData {
  const now = Date.now();
  const id = () => crypto.randomUUID();

  const verlag = { id: id(), name: "Beispiel Verlag GmbH", customerNumber: "10234", createdAt: now };
  const reisen = { id: id(), name: "Nordlicht Reisen GmbH", customerNumber: "10871", createdAt: now };
  const kontor = { id: id(), name: "Hansekontor Logistik GmbH", customerNumber: "11420", createdAt: now };

  const staffAndContacts = {
    manager: {
      id: id(),
      role: "manager" as const,
      salutation: "Frau",
      name: "Sabine Keller",
      email: "auftragsmanager@example.com",
      phone: "0421 555 010-23",
    },
    prepress: {
      id: id(),
      role: "prepress" as const,
      salutation: "Herr",
      name: "Tobias Brandt",
      email: "druckvorstufe@example.com",
      phone: "0421 555 010-40",
    },
    admin: { id: id(), role: "admin" as const, salutation: null, name: "Portal-Administration", email: "admin@example.com", phone: null },
    customer: {
      id: id(),
      role: "customer" as const,
      companyId: verlag.id,
      salutation: "Frau",
      name: "Jana Beispiel",
      email: "kunde@example.com",
      phone: "040 555 123-0",
    },
    archiveCustomer: {
      id: id(),
      role: "customer" as const,
      companyId: kontor.id,
      salutation: "Frau",
      name: "Lena Hansen",
      email: "kunde3@example.com",
      phone: "040 555 880-12",
    },
    otherCustomer: {
      id: id(),
      role: "customer" as const,
      companyId: reisen.id,
      salutation: "Herr",
      name: "Ole Nordmann",
      email: "kunde2@example.com",
      phone: "0451 555 77-0",
    },
  };
  const demoUsers: (typeof users.$inferInsert)[] = Object.values(staffAndContacts).map((user) => ({
    companyId: null,
    ...user,
    passwordHash,
    active: true,
    createdAt: now,
  }));
  // A contact the shop registered who has not chosen a password yet: the first login starts at "Passwort vergessen".
  demoUsers.push({
    id: id(),
    role: "customer",
    companyId: verlag.id,
    salutation: "Herr",
    name: "Paul Neumann",
    email: DEMO_FIRST_LOGIN_EMAIL,
    phone: null,
    passwordHash: null,
    active: true,
    createdAt: now,
  });

  const { manager, customer, otherCustomer, archiveCustomer } = staffAndContacts;
  const brochure = "Broschüren Portalkunden";
  const order = (
    companyId: string,
    contactId: string,
    offerNumber: string,
    orderNumber: string | null,
    title: string,
    status: (typeof orders.$inferInsert)["status"],
    createdAt: number,
  ) => ({
    id: id(),
    companyId,
    contactId,
    managerId: manager.id,
    offerNumber,
    orderNumber,
    title,
    status,
    createdAt,
    spec: title === brochure ? brochureSpec : flyerSpec,
    terms: "Gesamtpreis 3.480,00 € netto zzgl. MwSt., Lieferung frei Haus. Das Angebot gilt 30 Tage. Es gelten unsere Allgemeinen Geschäftsbedingungen.",
  });

  const brochureSpec: OrderSpec = {
    format: "DIN A4 (210 × 297 mm)",
    extent: "32 Seiten + 4 Seiten Umschlag",
    colours: "4/4-farbig Euroskala",
    paper: "Inhalt 135 g/m² Bilderdruck matt, Umschlag 250 g/m²",
    finishing: "Rückendrahtheftung",
    quantity: "2.500 Exemplare",
    deliveryDate: "2024-07-19",
  };
  const flyerSpec: OrderSpec = {
    format: "DIN A5 (148 × 210 mm)",
    extent: "2 Seiten",
    colours: "4/4-farbig Euroskala",
    paper: "170 g/m² Bilderdruck glänzend",
    quantity: "10.000 Exemplare",
  };

  const demoOrders = [
    order(verlag.id, customer.id, "42793.04", "240970", brochure, "production", berlinNoon(2024, 6, 25)),
    order(verlag.id, customer.id, "42793.03", "240969", brochure, "invoiced", berlinNoon(2024, 6, 25)),
    order(verlag.id, customer.id, "42793.02", "240925", brochure, "ordered", berlinNoon(2024, 6, 12)),
    order(verlag.id, customer.id, "42793.05", null, brochure, "offer", berlinNoon(2024, 6, 25)),
    order(verlag.id, customer.id, "42810.01", "241002", "Flyer Sommerfest A5", "print_ready", berlinNoon(2024, 7, 2)),
    order(reisen.id, otherCustomer.id, "42901.01", "241100", "Kataloge Herbst 2024", "ordered", berlinNoon(2024, 8, 6)),
    order(reisen.id, otherCustomer.id, "42960.01", null, "Prospekte Winterreisen", "offer", berlinNoon(2024, 9, 3)),
  ];

  const demoDocuments: (typeof documents.$inferInsert)[] = [];
  const documentFiles: DemoDocumentFile[] = [];
  for (const demoOrder of demoOrders) {
    const documentId = id();
    const r2Key = `orders/${demoOrder.id}/documents/${documentId}`;
    demoDocuments.push({
      id: documentId,
      orderId: demoOrder.id,
      kind: "offer",
      title: `Angebot #${demoOrder.offerNumber}`,
      fileName: `Angebot ${demoOrder.offerNumber} – ${demoOrder.title}.pdf`,
      r2Key,
      createdAt: demoOrder.createdAt,
    });
    documentFiles.push({
      documentId,
      r2Key,
      lines: [
        "Lindenblatt Druck GmbH · Hafenkante 12 · 28217 Bremen",
        "",
        `Angebot #${demoOrder.offerNumber}`,
        `Auftrag: ${demoOrder.title}`,
        "",
        "Auflage: 2.500 Exemplare, Format DIN A4, 32 Seiten, 4/4-farbig",
        "Papier: 135 g/m² Bilderdruck matt, Umschlag 250 g/m²",
        "Verarbeitung: Rückendrahtheftung",
        "",
        "Gesamtpreis netto: 3.480,00 EUR",
      ],
    });
  }

  // Hansekontor's invoiced orders of 2023, more than one overview page (50
  // rows). They have no order manager, so they stay out of "meine Aufträge".
  const forms = ["Lieferscheinblöcke", "Versandetiketten", "Briefbogen", "Visitenkarten", "Kuverts"];
  const archiveOrders = Array.from({ length: 55 }, (_, index) => ({
    id: id(),
    companyId: kontor.id,
    contactId: archiveCustomer.id,
    managerId: null,
    offerNumber: `41${String(index + 1).padStart(3, "0")}.01`,
    orderNumber: `23${String(index + 1).padStart(4, "0")}`,
    title: `${forms[index % forms.length]} ${Math.floor(index / forms.length) + 1}/2023`,
    status: "invoiced" as const,
    createdAt: berlinNoon(2023, 1, 2) + index * 6 * 24 * 60 * 60 * 1000,
    spec: flyerSpec,
    terms: null,
  }));

  // Each step after the offer was reached a day after the one before; the
  // history entries give the order page's stepper its dates.
  const day = 24 * 60 * 60 * 1000;
  // How each step was reached: the contact accepts and declares, staff move the rest.
  const reachedVia: Record<string, string> = { ordered: "accept", print_ready: "print_ready" };
  const demoEvents: (typeof orderEvents.$inferInsert)[] = demoOrders.flatMap((demoOrder) => {
    const reached = ORDER_STEPS.indexOf(demoOrder.status as (typeof ORDER_STEPS)[number]);
    return ORDER_STEPS.slice(1, reached + 1).map((step, index) => ({
      id: `${demoOrder.id}:v${index + 2}`,
      orderId: demoOrder.id,
      kind: "order.status_changed" as const,
      actorId: step in reachedVia ? demoOrder.contactId : manager.id,
      data: {
        from: ORDER_STEPS[index],
        to: step,
        via: reachedVia[step] ?? "staff",
        orderNumber: demoOrder.orderNumber,
      },
      createdAt: demoOrder.createdAt + (index + 1) * day,
    }));
  });
  const versioned = demoOrders.map((demoOrder) => ({
    ...demoOrder,
    version: 1 + demoEvents.filter((event) => event.orderId === demoOrder.id).length,
  }));

  return {
    shop: {
      id: 1,
      name: "Lindenblatt Druck GmbH",
      street: "Hafenkante 12",
      postalCode: "28217",
      city: "Bremen",
      phone: "0421 555 010-0",
      email: "info@lindenblatt-druck.example",
      prepressPhone: "0421 555 010-40",
      prepressEmail: "druckvorstufe@lindenblatt-druck.example",
      prepressHours: "Mo–Fr 7:00–18:00 Uhr",
      nextOfferNumber: 42961,
      nextOrderNumber: 241101,
    },
    companies: [verlag, reisen, kontor],
    users: demoUsers,
    orders: [...versioned, ...archiveOrders],
    documents: demoDocuments,
    orderEvents: demoEvents,
    documentFiles,
  };
}
