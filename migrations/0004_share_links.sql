CREATE TABLE `order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_events_order_idx` ON `order_events` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `share_link_failures` (
	`client_key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`failures` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`label` text,
	`show_label` integer DEFAULT false NOT NULL,
	`max_bytes` integer,
	`expires_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_token_hash_unique` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_order_idx` ON `share_links` (`order_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `files` ADD `share_link_id` text REFERENCES share_links(id);--> statement-breakpoint
ALTER TABLE `files` ADD `uploader_name` text;--> statement-breakpoint
CREATE INDEX `files_share_link_idx` ON `files` (`share_link_id`);--> statement-breakpoint
ALTER TABLE `multipart_uploads` ADD `share_link_id` text REFERENCES share_links(id);--> statement-breakpoint
ALTER TABLE `multipart_uploads` ADD `uploader_name` text;--> statement-breakpoint
ALTER TABLE `multipart_uploads` ADD `accepted_types` text DEFAULT '["application/pdf","image/tiff","image/jpeg","image/png","application/zip"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `max_upload_bytes` integer DEFAULT 5368709120 NOT NULL;--> statement-breakpoint
ALTER TABLE `shop_settings` ADD `accepted_file_types` text DEFAULT '["application/pdf","image/tiff","image/jpeg","image/png","application/zip"]' NOT NULL;