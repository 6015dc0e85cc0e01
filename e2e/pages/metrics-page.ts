import { expect, type Locator, type Page } from "@playwright/test";

/** The Metrics page: time range, pods, charts with their revision markers, plugins and scrape status. */
export class MetricsPage {
  readonly heading: Locator;
  readonly timeRange: Locator;
  readonly podPicker: Locator;
  readonly autoRefresh: Locator;
  readonly revisionMarkers: Locator;
  readonly pluginsSection: Locator;
  readonly scrapeStatus: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Metrics" });
    this.timeRange = page.getByRole("navigation", { name: "Time range" });
    this.podPicker = page.getByLabel("Pods", { exact: true });
    this.autoRefresh = page.getByRole("switch", { name: /Auto-refresh/ });
    this.revisionMarkers = page.getByTestId("revision-markers");
    this.pluginsSection = page.getByRole("region", { name: "Enabled plugins per server" });
    this.scrapeStatus = page.getByTestId("scrape-status");
  }

  async open(range = "15m"): Promise<void> {
    await this.page.goto(`/metrics?range=${range}`);
    await this.heading.waitFor();
  }

  /** A chart by its title (the figure's caption). */
  chart(title: string): Locator {
    return this.page.getByRole("figure", { name: title, exact: true });
  }

  /** The chart's text summary for screen readers: its latest values and the revisions marked on it. */
  chartSummary(title: string): Locator {
    return this.chart(title).locator("p.sr-only");
  }

  /** Waits until a chart draws points; the page refreshes itself while auto-refresh is on. */
  async waitForPoints(title: string, timeoutMs = 45_000): Promise<void> {
    await expect(this.chart(title).locator("canvas").first()).toBeVisible({ timeout: timeoutMs });
    await expect(this.chartSummary(title)).toContainText(/latest: .*\d/, { timeout: timeoutMs });
  }
}
