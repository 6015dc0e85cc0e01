import { expect, type Locator, type Page } from "@playwright/test";

/** The History list and a revision's page. */
export class HistoryPage {
  readonly heading: Locator;
  readonly rows: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "History" });
    this.rows = page.getByTestId("revision-row");
  }

  async open(): Promise<void> {
    await this.page.goto("/history");
    await this.heading.waitFor();
  }

  /** The row of the newest revision whose message contains `text`. */
  row(text: string | RegExp): Locator {
    return this.rows.filter({ hasText: text }).first();
  }

  /** Opens revision `number` through its link in the list (the list holds the newest 50). */
  async openRevision(number: number): Promise<void> {
    await this.page.getByRole("link", { name: `Revision ${number}`, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: `Revision ${number}` })).toBeVisible();
  }

  /** Waits, reloading, until the list shows a row matching `text` (the watch records external changes within seconds). */
  async waitForRow(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    await expect(async () => {
      await this.page.reload();
      await expect(this.row(text)).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: timeoutMs });
    return this.row(text);
  }
}
