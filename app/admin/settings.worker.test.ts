import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { orders } from "~/db/schema";
import { getShopLogo, getShopSettings } from "~/shop-settings.server";
import { demoUser, seedDemo } from "../../tests/support/fixtures";

import { adminMessages } from "./admin-messages";
import { readFormDataWithin } from "./form-body.server";
import { detectImageType, MAX_IMAGE_BYTES } from "./images";
import { findStaffPhoto, respondWithImage, setStaffPhoto } from "./images.server";
import { GIGABYTE, MEGABYTE, shopSettingsFormValues, splitUploadSize } from "./settings-form";
import { saveShopSettings } from "./settings.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let admin: ReturnType<typeof demoUser>;
let manager: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;

const db = () => getDb(env);

/** A real 1 × 1 pixel PNG. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (char) => char.charCodeAt(0),
);
const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

beforeAll(async () => {
  data = await seedDemo();
  admin = demoUser(data, "admin@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
  customer = demoUser(data, "kunde@example.com");
});

/** Builds the settings form as the page sends it, with the demo values overridden by `changes`. */
function settingsForm(changes: Record<string, string | string[] | File> = {}): FormData {
  const fields: Record<string, string | string[] | File> = {
    name: "Lindenblatt Druck GmbH",
    street: "Hafenkante 12",
    postalCode: "28217",
    city: "Bremen",
    phone: "0421 555 010-0",
    email: "info@lindenblatt-druck.example",
    prepressPhone: "0421 555 010-40",
    prepressEmail: "druckvorstufe@lindenblatt-druck.example",
    prepressHours: "Mo–Fr 7:00–18:00 Uhr",
    nextOfferNumber: "42961",
    nextOrderNumber: "241101",
    maxUploadSize: "5",
    maxUploadUnit: "GB",
    acceptedFileTypes: ["application/pdf", "image/tiff", "image/jpeg", "image/png", "application/zip"],
    ...changes,
  };
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, item);
  }
  return form;
}

function imageFile(bytes: Uint8Array, name: string, type: string) {
  return new File([new Uint8Array(bytes)], name, { type });
}

describe("saveShopSettings", () => {
  it("saves every field", async () => {
    const result = await saveShopSettings(
      env,
      db(),
      admin,
      settingsForm({
        name: " Lindenblatt Druck & Medien GmbH ",
        prepressHours: "Mo–Do 7:00–17:00 Uhr, Fr 7:00–14:00 Uhr",
        nextOfferNumber: "43000",
        nextOrderNumber: "241500",
        maxUploadSize: "2,5",
        maxUploadUnit: "GB",
        acceptedFileTypes: ["application/pdf", "application/zip"],
      }),
    );
    expect(result).toEqual({ ok: true });

    const settings = await getShopSettings(db());
    expect(settings).toMatchObject({
      name: "Lindenblatt Druck & Medien GmbH",
      prepressHours: "Mo–Do 7:00–17:00 Uhr, Fr 7:00–14:00 Uhr",
      nextOfferNumber: 43000,
      nextOrderNumber: 241500,
      maxUploadBytes: 2.5 * GIGABYTE,
      acceptedFileTypes: ["application/pdf", "application/zip"],
      logoR2Key: null,
    });
  });

  it("rejects non-admins", async () => {
    const before = await getShopSettings(db());
    const result = await saveShopSettings(env, db(), manager, settingsForm({ name: "Übernommen" }));
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(await getShopSettings(db())).toEqual(before);
  });

  it("rejects missing texts and a bad e-mail address per field", async () => {
    const before = await getShopSettings(db());
    const result = await saveShopSettings(env, db(), admin, settingsForm({ name: "  ", prepressEmail: "druckvorstufe", prepressHours: "" }));
    expect(result).toEqual({
      ok: false,
      status: 400,
      message: adminMessages.settingsInvalid,
      fieldErrors: {
        name: adminMessages.shopFieldMissing("den Namen der Druckerei"),
        prepressEmail: adminMessages.shopEmailInvalid,
        prepressHours: adminMessages.shopFieldMissing("die Erreichbarkeit der Druckvorstufe"),
      },
    });
    expect(await getShopSettings(db())).toEqual(before);
  });
});

describe("number ranges", () => {
  it("rejects an order number not above the highest in use", async () => {
    const before = await getShopSettings(db());

    // 241100 is the highest demo order number.
    for (const nextOrderNumber of ["241100", "240000"]) {
      const result = await saveShopSettings(env, db(), admin, settingsForm({ nextOrderNumber, prepressHours: "geändert" }));
      expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { nextOrderNumber: adminMessages.orderNumberTooSmall(241100) } });
    }
    expect(await getShopSettings(db())).toEqual(before);
  });

  it("accepts the number after the highest", async () => {
    const result = await saveShopSettings(env, db(), admin, settingsForm({ nextOfferNumber: "43000", nextOrderNumber: "241101" }));
    expect(result).toEqual({ ok: true });
    expect((await getShopSettings(db())).nextOrderNumber).toBe(241101);
  });

  it("ignores order numbers that are not numeric", async () => {
    await db()
      .insert(orders)
      .values({
        id: crypto.randomUUID(),
        companyId: customer.companyId!,
        offerNumber: "99001.01",
        orderNumber: "A-999999",
        title: "Altauftrag mit Buchstaben",
        status: "ordered",
        createdAt: Date.now(),
      });
    const result = await saveShopSettings(env, db(), admin, settingsForm({ nextOfferNumber: "43000", nextOrderNumber: "241102" }));
    expect(result).toEqual({ ok: true });
  });

  it("rejects an offer base number in use", async () => {
    const before = await getShopSettings(db());

    for (const nextOfferNumber of ["42793", "42960", "99001"]) {
      const result = await saveShopSettings(env, db(), admin, settingsForm({ nextOfferNumber, nextOrderNumber: "241102" }));
      expect(result).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { nextOfferNumber: adminMessages.offerNumberTaken(Number(nextOfferNumber)) },
      });
    }
    expect(await getShopSettings(db())).toEqual(before);
  });

  it("rejects numbers that are not positive integers", async () => {
    for (const value of ["0", "-5", "12.5", "abc", "", "1000000000"]) {
      const result = await saveShopSettings(env, db(), admin, settingsForm({ nextOfferNumber: value, nextOrderNumber: value }));
      expect(result.ok, value).toBe(false);
      if (result.ok) continue;
      expect(result.fieldErrors.nextOfferNumber, value).toBeDefined();
      expect(result.fieldErrors.nextOrderNumber, value).toBeDefined();
    }
  });
});

describe("upload settings", () => {
  it("accepts the bounds", async () => {
    for (const [size, unit, bytes] of [
      ["1", "MB", MEGABYTE],
      ["5", "GB", 5 * GIGABYTE],
      ["5120", "MB", 5 * GIGABYTE],
      ["750", "MB", 750 * MEGABYTE],
    ] as const) {
      const result = await saveShopSettings(env, db(), admin, settingsForm({ maxUploadSize: size, maxUploadUnit: unit, nextOfferNumber: "43000", nextOrderNumber: "241102" }));
      expect(result, `${size} ${unit}`).toEqual({ ok: true });
      expect((await getShopSettings(db())).maxUploadBytes).toBe(bytes);
    }
  });

  it("rejects sizes outside 1 MB to 5 GB", async () => {
    const before = await getShopSettings(db());
    for (const [size, unit] of [
      ["0,5", "MB"],
      ["0", "GB"],
      ["5,01", "GB"],
      ["6000", "MB"],
      ["viel", "MB"],
      ["-1", "GB"],
    ]) {
      const result = await saveShopSettings(env, db(), admin, settingsForm({ maxUploadSize: size, maxUploadUnit: unit }));
      expect(result, `${size} ${unit}`).toMatchObject({ ok: false, status: 400, fieldErrors: { maxUploadSize: adminMessages.uploadSizeInvalid("1 MB", "5 GB") } });
    }
    const badUnit = await saveShopSettings(env, db(), admin, settingsForm({ maxUploadUnit: "TB" }));
    expect(badUnit).toMatchObject({ ok: false, fieldErrors: { maxUploadUnit: adminMessages.uploadUnitInvalid } });
    expect(await getShopSettings(db())).toEqual(before);
  });

  it("needs one accepted file type at least", async () => {
    const before = await getShopSettings(db());
    const none = await saveShopSettings(env, db(), admin, settingsForm({ acceptedFileTypes: [] }));
    expect(none).toMatchObject({ ok: false, fieldErrors: { acceptedFileTypes: adminMessages.fileTypesMissing } });
    const unknown = await saveShopSettings(env, db(), admin, settingsForm({ acceptedFileTypes: ["application/pdf", "image/svg+xml"] }));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.fieldErrors.acceptedFileTypes).toBeDefined();
    expect(await getShopSettings(db())).toEqual(before);
  });

  it("shows sizes in GB or MB", () => {
    expect(splitUploadSize(5 * GIGABYTE)).toEqual({ value: "5", unit: "GB" });
    expect(splitUploadSize(750 * MEGABYTE)).toEqual({ value: "750", unit: "MB" });
    expect(splitUploadSize(2.5 * GIGABYTE)).toEqual({ value: "2560", unit: "MB" });
  });
});

describe("logo", () => {
  it("detects PNG and JPEG by content only", () => {
    expect(detectImageType(PNG)).toBe("image/png");
    expect(detectImageType(JPEG_HEAD)).toBe("image/jpeg");
    expect(detectImageType(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(detectImageType(new TextEncoder().encode("%PDF-1.7"))).toBeNull();
  });

  it("rejects a file that is no image", async () => {
    const before = await getShopSettings(db());
    const fake = imageFile(new TextEncoder().encode("kein Bild, nur Text"), "logo.png", "image/png");

    const result = await saveShopSettings(env, db(), admin, settingsForm({ logo: fake, prepressHours: "geändert" }));

    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { logo: adminMessages.imageTypeRejected } });
    expect(await getShopSettings(db())).toEqual(before);
    expect((await env.FILES.list({ prefix: "shop/logo/" })).objects).toEqual([]);
  });

  it("rejects an image over 1 MB", async () => {
    const large = new Uint8Array(MAX_IMAGE_BYTES + 1);
    large.set(PNG);
    const result = await saveShopSettings(env, db(), admin, settingsForm({ logo: imageFile(large, "gross.png", "image/png") }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { logo: adminMessages.imageTooLarge("1 MB") } });
  });

  it("stores, serves, replaces and removes the logo", async () => {
    const numbers = { nextOfferNumber: "43000", nextOrderNumber: "241102" };
    const first = await saveShopSettings(env, db(), admin, settingsForm({ ...numbers, logo: imageFile(PNG, "logo.svg", "image/svg+xml") }));
    expect(first).toEqual({ ok: true });
    const logo = await getShopLogo(db());
    expect(logo?.contentType).toBe("image/png");

    const response = await respondWithImage(env.FILES, logo!, new Request("http://portal.test/logo"), "public, max-age=300");
    expect(response?.status).toBe(200);
    expect(response?.headers.get("Content-Type")).toBe("image/png");
    expect(response?.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response?.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(PNG);

    const etag = response!.headers.get("ETag")!;
    const cached = await respondWithImage(env.FILES, logo!, new Request("http://portal.test/logo", { headers: { "If-None-Match": etag } }), "public");
    expect(cached?.status).toBe(304);

    // Saving without a new file keeps the logo.
    expect(await saveShopSettings(env, db(), admin, settingsForm(numbers))).toEqual({ ok: true });
    expect((await getShopLogo(db()))?.r2Key).toBe(logo!.r2Key);

    const jpeg = imageFile(JPEG_HEAD, "logo.jpg", "image/jpeg");
    expect(await saveShopSettings(env, db(), admin, settingsForm({ ...numbers, logo: jpeg }))).toEqual({ ok: true });
    const replaced = await getShopLogo(db());
    expect(replaced?.contentType).toBe("image/jpeg");
    expect(replaced?.r2Key).not.toBe(logo!.r2Key);
    expect(await env.FILES.head(logo!.r2Key)).toBeNull();

    expect(await saveShopSettings(env, db(), admin, settingsForm({ ...numbers, removeLogo: "on" }))).toEqual({ ok: true });
    expect(await getShopLogo(db())).toBeNull();
    expect((await env.FILES.list({ prefix: "shop/logo/" })).objects).toEqual([]);
  });
});

describe("staff photo", () => {
  it("serves staff photos only", async () => {
    await setStaffPhoto(env, db(), manager, { bytes: PNG, contentType: "image/png" });
    const photo = await findStaffPhoto(db(), manager.id);
    expect(photo?.contentType).toBe("image/png");
    expect(await env.FILES.head(photo!.r2Key)).not.toBeNull();

    expect(await findStaffPhoto(db(), customer.id)).toBeNull();
    expect(await findStaffPhoto(db(), admin.id)).toBeNull();
    expect(await findStaffPhoto(db(), "no-such-user")).toBeNull();

    await setStaffPhoto(env, db(), manager, null);
    expect(await findStaffPhoto(db(), manager.id)).toBeNull();
    expect(await env.FILES.head(photo!.r2Key)).toBeNull();
  });
});

describe("readFormDataWithin", () => {
  /** Builds a multipart request whose body streams in 64 KB chunks. `pulled` counts the bytes the reader took. */
  async function streamedRequest(form: FormData) {
    const encoded = new Request("http://portal.test/verwaltung/einstellungen", { method: "POST", body: form });
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const counter = { pulled: 0, total: bytes.byteLength };
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          return;
        }
        const chunk = bytes.slice(offset, offset + 64 * 1024);
        offset += chunk.byteLength;
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(encoded.url, {
      method: "POST",
      body,
      headers: { "Content-Type": encoded.headers.get("Content-Type")! },
      // @ts-expect-error workerd and undici need the duplex option for a streamed body; the DOM types lack it.
      duplex: "half",
    });
    return { request, counter };
  }

  it("reads a form within the limit", async () => {
    const logo = new File([new Uint8Array(2 * MEGABYTE)], "logo.png", { type: "image/png" });
    const { request, counter } = await streamedRequest(settingsForm({ name: "Neuer Name", logo }));

    const result = await readFormDataWithin(request, 4 * MEGABYTE);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.form.get("name")).toBe("Neuer Name");
    expect((result.form.get("logo") as File).size).toBe(2 * MEGABYTE);
    expect(counter.pulled).toBe(counter.total);
  });

  it("reads a larger body to its end", async () => {
    const logo = new File([new Uint8Array(6 * MEGABYTE)], "logo.png", { type: "image/png" });
    const { request, counter } = await streamedRequest(settingsForm({ logo }));

    const result = await readFormDataWithin(request, 4 * MEGABYTE);

    expect(result).toEqual({ ok: false, reason: "too-large" });
    expect(counter.pulled).toBe(counter.total);
  });

  it("keeps the typed values of a rejected logo", async () => {
    const logo = new File([new Uint8Array(MAX_IMAGE_BYTES + 1)], "logo.png", { type: "image/png" });
    const form = settingsForm({ name: "Getippter Name", prepressHours: "Mo–Fr 8–16 Uhr", logo });

    const result = await saveShopSettings(env, db(), admin, form);

    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { logo: adminMessages.imageTooLarge("1 MB") } });
    expect(shopSettingsFormValues(form)).toMatchObject({ name: "Getippter Name", prepressHours: "Mo–Fr 8–16 Uhr", maxUploadUnit: "GB" });
    expect((await getShopSettings(db())).name).toBe("Lindenblatt Druck GmbH");
  });
});
