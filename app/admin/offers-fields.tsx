import { ORDER_SPEC_FIELDS, type OrderSpec } from "~/db/values";
import { orderSpecLabels } from "~/orders/order-page-messages";

import { orderFieldLabels, SPEC_FIELD_MAX_LENGTH, TERMS_MAX_LENGTH, TITLE_MAX_LENGTH } from "./offer-messages";

/** Values the order fields start with: the stored order, or what the user sent when the form came back with errors. */
export interface OrderFieldValues {
  title: string;
  spec: OrderSpec;
  terms: string;
  contactId: string;
  managerId: string;
}

interface Person {
  id: string;
  name: string;
}

/** Reads the order fields back from a submitted form, for showing them again after an error. */
export function orderFieldValuesOf(form: FormData): OrderFieldValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    title: text("title"),
    spec: Object.fromEntries(ORDER_SPEC_FIELDS.map((field) => [field, text(`spec.${field}`)])),
    terms: text("terms"),
    contactId: text("contactId"),
    managerId: text("managerId"),
  };
}

/**
 * Renders the order fields shared by the offer form and the edit form: title,
 * contact, manager, specification and terms. Contacts come either as one list
 * or grouped by company (`contactGroups`), in which case the server checks
 * that the chosen contact belongs to the chosen company.
 */
export function OrderFieldInputs({
  values,
  contacts,
  contactGroups,
  managers,
}: {
  values: OrderFieldValues;
  contacts?: Person[];
  contactGroups?: { key: string; label: string; contacts: Person[] }[];
  managers: Person[];
}) {
  return (
    <>
      <label className="admin-field">
        {orderFieldLabels.title}
        <input name="title" required maxLength={TITLE_MAX_LENGTH} defaultValue={values.title} />
      </label>

      <label className="admin-field">
        {orderFieldLabels.contactId}
        <select name="contactId" required defaultValue={values.contactId}>
          <option value="">Bitte wählen …</option>
          {contacts?.map((contact) => (
            <option key={contact.id} value={contact.id}>
              {contact.name}
            </option>
          ))}
          {contactGroups?.map((group) => (
            <optgroup key={group.key} label={group.label}>
              {group.contacts.map((contact) => (
                <option key={contact.id} value={contact.id}>
                  {contact.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>

      <label className="admin-field">
        {orderFieldLabels.managerId}
        <select name="managerId" required defaultValue={values.managerId}>
          <option value="">Bitte wählen …</option>
          {managers.map((manager) => (
            <option key={manager.id} value={manager.id}>
              {manager.name}
            </option>
          ))}
        </select>
      </label>

      <fieldset className="admin-spec">
        <legend>Produktspezifikation</legend>
        {ORDER_SPEC_FIELDS.map((field) => (
          <label key={field} className="admin-field">
            {orderSpecLabels[field]}
            {field === "deliveryDate" ? (
              <input type="date" name={`spec.${field}`} defaultValue={values.spec[field] ?? ""} />
            ) : (
              <input name={`spec.${field}`} maxLength={SPEC_FIELD_MAX_LENGTH} defaultValue={values.spec[field] ?? ""} />
            )}
          </label>
        ))}
      </fieldset>

      <label className="admin-field">
        {orderFieldLabels.terms}
        <textarea name="terms" rows={4} maxLength={TERMS_MAX_LENGTH} defaultValue={values.terms} />
        <span className="muted">Der Kunde sieht diesen Text, wenn er das Angebot annimmt.</span>
      </label>
    </>
  );
}

/** Lists form errors as an alert. */
export function FormErrors({ errors }: { errors: readonly string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul className="form-error admin-errors" role="alert">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}
