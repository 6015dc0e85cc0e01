import type { Locator, Page } from "@playwright/test";

/** The Overview page, by roles and labels a user sees. */
export class OverviewPage {
  readonly heading: Locator;
  readonly clusterSwitcher: Locator;
  readonly corefile: Locator;
  readonly podsPanel: Locator;
  readonly livePanel: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Overview" });
    this.clusterSwitcher = page.getByLabel("Cluster", { exact: true });
    this.livePanel = page.getByRole("region", { name: "Live Corefile" });
    this.corefile = page.getByTestId("corefile-text");
    this.podsPanel = page.getByRole("region", { name: "CoreDNS pods" });
  }

  async open(): Promise<void> {
    await this.page.goto("/");
    await this.heading.waitFor();
  }

  async corefileText(): Promise<string> {
    return (await this.corefile.textContent()) ?? "";
  }
}
