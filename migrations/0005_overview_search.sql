DROP INDEX `orders_company_created_idx`;--> statement-breakpoint
DROP INDEX `orders_manager_created_idx`;--> statement-breakpoint
ALTER TABLE `orders` ADD `search_text` text GENERATED ALWAYS AS (replace(replace(replace(replace(replace(lower(offer_number || ' ' || coalesce(order_number, '') || ' ' || title), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'), 'ẞ', 'ss'), 'ß', 'ss')) VIRTUAL;--> statement-breakpoint
CREATE INDEX `orders_company_offer_idx` ON `orders` (`company_id`,`offer_number`,`status`,`search_text`);--> statement-breakpoint
CREATE INDEX `orders_manager_offer_idx` ON `orders` (`manager_id`,`offer_number`,`status`,`search_text`);--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`,`offer_number`,`status`,`search_text`);--> statement-breakpoint
CREATE INDEX `orders_offer_search_idx` ON `orders` (`offer_number`,`status`,`search_text`);--> statement-breakpoint
CREATE INDEX `orders_company_created_idx` ON `orders` (`company_id`,`created_at`,`offer_number`,`status`,`search_text`);--> statement-breakpoint
CREATE INDEX `orders_manager_created_idx` ON `orders` (`manager_id`,`created_at`,`offer_number`,`status`,`search_text`);