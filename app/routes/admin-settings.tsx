import { data, Form, Link, useActionData, useNavigation } from "react-router";

import { adminMessages } from "~/admin/admin-messages";
import adminStylesheet from "~/admin/admin.css?url";
import type { FieldErrors } from "~/admin/companies-form";
import { readFormDataWithin } from "~/admin/form-body.server";
import { IMAGE_ACCEPT, MAX_IMAGE_BYTES } from "~/admin/images";
import {
  MAX_RANGE_NUMBER,
  MAX_UPLOAD_BYTES,
  MIN_UPLOAD_BYTES,
  SHOP_TEXT_MAX,
  shopSettingsFormValues,
  splitUploadSize,
  UPLOAD_UNITS,
} from "~/admin/settings-form";
import { saveShopSettings } from "~/admin/settings.server";
import { requireAdmin } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatBytes } from "~/format";
import { PRINT_FILE_TYPE_LABELS, PRINT_FILE_TYPES } from "~/uploads/file-type";
import { findHighestOrderNumber, getShopSettings } from "~/shop-settings.server";

import type { Route } from "./+types/admin-settings";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: adminStylesheet }];

/**
 * Largest settings request that is parsed: room for a camera photo of
 * several MB, so that its "too large" message comes back with the typed
 * fields. A larger request is read to its end and dropped.
 */
const MAX_FORM_BYTES = 16 * MAX_IMAGE_BYTES;

export async function loader({ request, context }: Route.LoaderArgs) {
  requireAdmin(context, request);
  const { env } = context.get(cloudflareContext);

  const [settings, highestOrderNumber] = await Promise.all([getShopSettings(getDb(env)), findHighestOrderNumber(env)]);
  const uploadSize = splitUploadSize(settings.maxUploadBytes);
  return {
    settings: {
      name: settings.name,
      street: settings.street,
      postalCode: settings.postalCode,
      city: settings.city,
      phone: settings.phone,
      email: settings.email,
      prepressPhone: settings.prepressPhone,
      prepressEmail: settings.prepressEmail,
      prepressHours: settings.prepressHours,
      nextOfferNumber: String(settings.nextOfferNumber),
      nextOrderNumber: String(settings.nextOrderNumber),
      maxUploadSize: uploadSize.value,
      maxUploadUnit: uploadSize.unit,
      acceptedFileTypes: settings.acceptedFileTypes,
      logoUrl: settings.logoR2Key ? `/logo?v=${encodeURIComponent(settings.logoR2Key.split("/").at(-1) ?? "")}` : null,
    },
    highestOrderNumber,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireAdmin(context, request);
  const { env } = context.get(cloudflareContext);

  const body = await readFormDataWithin(request, MAX_FORM_BYTES);
  if (!body.ok) {
    // Without the form's values, the page keeps what the browser shows; a page without JavaScript shows the stored values.
    const message = adminMessages.imageTooLarge(formatBytes(MAX_IMAGE_BYTES));
    console.info("admin: settings request too large, not read", { userId: user.id, maxBytes: MAX_FORM_BYTES });
    return data({ ok: false, fieldErrors: { logo: message } as FieldErrors, message: adminMessages.settingsInvalid, values: null }, { status: 413 });
  }

  const saved = await saveShopSettings(env, getDb(env), user, body.form);
  if (!saved.ok) {
    return data(
      { ok: false, fieldErrors: saved.fieldErrors, message: saved.message, values: shopSettingsFormValues(body.form) },
      { status: saved.status },
    );
  }
  return data({ ok: true, fieldErrors: {} as FieldErrors, message: adminMessages.settingsSaved, values: null });
}

export function meta() {
  return [{ title: "Einstellungen" }];
}

export default function AdminSettings({ loaderData }: Route.ComponentProps) {
  const { settings, highestOrderNumber } = loaderData;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod === "POST";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const imageLimit = formatBytes(MAX_IMAGE_BYTES);
  // After a rejected save the fields show what was sent, not the stored values.
  const fieldValues = actionData?.values ? { ...settings, ...actionData.values } : { ...settings, removeLogo: false };

  return (
    <section aria-labelledby="settings-heading">
      <p>
        <Link to="/verwaltung">← Verwaltung</Link>
      </p>
      <h1 id="settings-heading">Einstellungen</h1>

      {/*
        The key shows the stored values again after a save, and the values sent
        after a rejected save; both empty the logo's file input.
      */}
      <Form method="post" encType="multipart/form-data" className="admin-form" noValidate key={JSON.stringify(fieldValues)}>
        <fieldset>
          <legend>Druckerei</legend>
          <TextField name="name" label="Name" settings={fieldValues} errors={errors} />
          <TextField name="street" label="Straße und Hausnummer" settings={fieldValues} errors={errors} />
          <div className="admin-inline">
            <TextField name="postalCode" label="Postleitzahl" settings={fieldValues} errors={errors} />
            <TextField name="city" label="Ort" settings={fieldValues} errors={errors} />
          </div>
          <TextField name="phone" label="Telefon" type="tel" settings={fieldValues} errors={errors} />
          <TextField name="email" label="E-Mail-Adresse" type="email" settings={fieldValues} errors={errors} />
        </fieldset>

        <fieldset>
          <legend>Logo</legend>
          {settings.logoUrl ? (
            <>
              <img src={settings.logoUrl} alt="Aktuelles Logo" className="admin-logo-preview" />
              <label>
                <input type="checkbox" name="removeLogo" defaultChecked={fieldValues.removeLogo} /> Logo entfernen
              </label>
            </>
          ) : (
            <p className="muted">Kein Logo hinterlegt. Die Kopfzeile zeigt den Namen der Druckerei.</p>
          )}
          <div className="admin-field">
            <label htmlFor="settings-logo">{settings.logoUrl ? "Neues Logo" : "Logo"}</label>
            <input
              id="settings-logo"
              type="file"
              name="logo"
              accept={IMAGE_ACCEPT}
              aria-invalid={errors.logo ? true : undefined}
              aria-describedby={errors.logo ? "settings-logo-hint settings-logo-error" : "settings-logo-hint"}
            />
            <p id="settings-logo-hint" className="hint">
              {adminMessages.logoHint(imageLimit)}
            </p>
            <FieldError name="logo" errors={errors} />
          </div>
        </fieldset>

        <fieldset>
          <legend>Druckvorstufe</legend>
          <TextField name="prepressPhone" label="Telefon der Druckvorstufe" type="tel" settings={fieldValues} errors={errors} />
          <TextField name="prepressEmail" label="E-Mail-Adresse der Druckvorstufe" type="email" settings={fieldValues} errors={errors} />
          <TextField
            name="prepressHours"
            label="Erreichbarkeit der Druckvorstufe"
            hint="Steht auf jeder Auftragsseite, zum Beispiel „Mo–Fr 7:00–18:00 Uhr“."
            settings={fieldValues}
            errors={errors}
          />
        </fieldset>

        <fieldset>
          <legend>Nummernkreise</legend>
          <TextField
            name="nextOfferNumber"
            label="Nächste Angebotsnummer"
            inputMode="numeric"
            maxLength={String(MAX_RANGE_NUMBER).length}
            hint={`Die Nummer vor dem Versionszusatz: ${settings.nextOfferNumber} wird zu Angebot #${settings.nextOfferNumber}.01. Es darf noch kein Angebot mit dieser Nummer geben.`}
            settings={fieldValues}
            errors={errors}
          />
          <TextField
            name="nextOrderNumber"
            label="Nächste Auftragsnummer"
            inputMode="numeric"
            maxLength={String(MAX_RANGE_NUMBER).length}
            hint={
              highestOrderNumber > 0
                ? `Die nächste Annahme eines Angebots erhält diese Nummer. Sie muss größer sein als die höchste vergebene Auftragsnummer ${highestOrderNumber}.`
                : "Die nächste Annahme eines Angebots erhält diese Nummer."
            }
            settings={fieldValues}
            errors={errors}
          />
        </fieldset>

        <fieldset>
          <legend>Uploads</legend>
          <div className="admin-field">
            <label htmlFor="settings-maxUploadSize">Maximale Dateigröße</label>
            <div className="admin-inline">
              <input
                id="settings-maxUploadSize"
                name="maxUploadSize"
                inputMode="decimal"
                size={8}
                defaultValue={fieldValues.maxUploadSize}
                aria-invalid={errors.maxUploadSize ? true : undefined}
                aria-describedby={errors.maxUploadSize ? "settings-maxUploadSize-hint settings-maxUploadSize-error" : "settings-maxUploadSize-hint"}
              />
              <select name="maxUploadUnit" aria-label="Einheit" defaultValue={fieldValues.maxUploadUnit}>
                {Object.keys(UPLOAD_UNITS).map((unit) => (
                  <option key={unit} value={unit}>
                    {unit}
                  </option>
                ))}
              </select>
            </div>
            <p id="settings-maxUploadSize-hint" className="hint">
              Je Druckdatei, von {formatBytes(MIN_UPLOAD_BYTES)} bis {formatBytes(MAX_UPLOAD_BYTES)} (1 GB = 1024 MB).
            </p>
            <FieldError name="maxUploadSize" errors={errors} />
          </div>
          <fieldset aria-describedby={errors.acceptedFileTypes ? "settings-acceptedFileTypes-error" : undefined}>
            <legend>Angenommene Dateitypen</legend>
            <div className="admin-inline">
              {PRINT_FILE_TYPES.map((type) => (
                <label key={type}>
                  <input type="checkbox" name="acceptedFileTypes" value={type} defaultChecked={fieldValues.acceptedFileTypes.includes(type)} />{" "}
                  {PRINT_FILE_TYPE_LABELS[type]}
                </label>
              ))}
            </div>
            <FieldError name="acceptedFileTypes" errors={errors} />
          </fieldset>
        </fieldset>

        {actionData?.message ? (
          <p className={actionData.ok ? "form-success" : "form-error"} role={actionData.ok ? "status" : "alert"}>
            {actionData.message}
          </p>
        ) : null}
        <button type="submit" disabled={saving}>
          Einstellungen speichern
        </button>
      </Form>
    </section>
  );
}

function FieldError({ name, errors }: { name: string; errors: FieldErrors }) {
  return errors[name] ? (
    <p id={`settings-${name}-error`} className="form-error">
      {errors[name]}
    </p>
  ) : null;
}

type TextSettingName =
  | "name"
  | "street"
  | "postalCode"
  | "city"
  | "phone"
  | "email"
  | "prepressPhone"
  | "prepressEmail"
  | "prepressHours"
  | "nextOfferNumber"
  | "nextOrderNumber";

function TextField({
  name,
  label,
  hint,
  type,
  inputMode,
  maxLength = SHOP_TEXT_MAX,
  settings,
  errors,
}: {
  name: TextSettingName;
  label: string;
  hint?: string;
  type?: "tel" | "email";
  inputMode?: "numeric";
  maxLength?: number;
  settings: Record<TextSettingName, string>;
  errors: FieldErrors;
}) {
  const id = `settings-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors[name] ? `${id}-error` : null].filter(Boolean).join(" ");

  return (
    <div className="admin-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
        required
        maxLength={maxLength}
        defaultValue={settings[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldError name={name} errors={errors} />
    </div>
  );
}
