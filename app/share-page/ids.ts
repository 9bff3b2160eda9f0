/** Id of the island's root element, which `client.tsx` hydrates. */
export const ISLAND_ID = "share-upload";

/** Id of the JSON script element that carries the view to the island. */
export const VIEW_DATA_ID = "share-view";
