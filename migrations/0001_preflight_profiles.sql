ALTER TABLE `orders` ADD `preflight_profile` text DEFAULT 'gwg2022-sheetfed' NOT NULL;--> statement-breakpoint
ALTER TABLE `preflight_runs` ADD `profile` text;--> statement-breakpoint
ALTER TABLE `preflight_runs` ADD `pages` text;--> statement-breakpoint
ALTER TABLE `preflight_runs` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `preflight_runs` ADD `progress_pages` integer;--> statement-breakpoint
ALTER TABLE `preflight_runs` ADD `progress_total` integer;