CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_order_kind_unique` ON `approvals` (`order_id`,`kind`);--> statement-breakpoint
ALTER TABLE `documents` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `uploaded_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `orders` ADD `spec` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `terms` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `updated_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `logo_r2_key` text;--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `logo_content_type` text;--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `next_offer_number` integer DEFAULT 50000 NOT NULL;--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `next_order_number` integer DEFAULT 250000 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `photo_r2_key` text;--> statement-breakpoint
ALTER TABLE `users` ADD `photo_content_type` text;