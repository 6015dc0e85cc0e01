import type { Locator, Page } from "@playwright/test";

/** The Troubleshoot page: the question form, the trace, the live answers and the draft comparison. */
export class TroubleshootPage {
  readonly heading: Locator;
  readonly nameField: Locator;
  readonly typeField: Locator;
  readonly namespaceField: Locator;
  readonly compareBox: Locator;
  readonly explainButton: Locator;
  readonly explanation: Locator;
  readonly finalKind: Locator;
  readonly queryPodsButton: Locator;
  readonly liveRows: Locator;
  readonly draftChanges: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Troubleshoot" });
    this.nameField = page.getByRole("textbox", { name: "Name", exact: true });
    this.typeField = page.getByRole("combobox", { name: "Type" });
    this.namespaceField = page.getByRole("textbox", { name: "Client namespace" });
    this.compareBox = page.getByRole("checkbox", { name: "Compare with my draft" });
    this.explainButton = page.getByRole("button", { name: "Explain" });
    this.explanation = page.getByRole("region", { name: "Explanation against the live Corefile" });
    this.finalKind = this.explanation.getByTestId("trace-final-kind");
    this.queryPodsButton = page.getByRole("button", { name: /Query pods/ });
    this.liveRows = page.getByRole("table", { name: "Answers of each CoreDNS pod" }).getByTestId("live-row");
    this.draftChanges = page.getByRole("list", { name: "Names the draft changes" });
  }

  async open(query = ""): Promise<void> {
    await this.page.goto(`/troubleshoot${query}`);
    await this.heading.waitFor();
  }

  async ask(name: string, type = "A", namespace = "default"): Promise<void> {
    await this.nameField.fill(name);
    await this.typeField.selectOption(type);
    await this.namespaceField.fill(namespace);
    await this.explainButton.click();
  }
}
