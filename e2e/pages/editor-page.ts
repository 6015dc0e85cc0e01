import { expect, type Locator, type Page } from "@playwright/test";

/** The Editor page: Monaco, its toolbar, the review step and the conflict view. */
export class EditorPage {
  readonly heading: Locator;
  readonly monaco: Locator;
  readonly monacoInput: Locator;
  readonly reviewButton: Locator;
  readonly applyButton: Locator;
  readonly messageField: Locator;
  readonly problems: Locator;
  readonly draftStatus: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Editor" });
    this.monaco = page.locator(".monaco-editor").first();
    this.monacoInput = page.getByRole("textbox", { name: /Corefile of kube-system\/coredns/ }).first();
    this.reviewButton = page.getByRole("button", { name: "Review changes" });
    this.applyButton = page.getByRole("button", { name: "Apply to cluster" });
    this.messageField = page.getByLabel(/What does this change do/);
    this.problems = page.getByTestId("corefile-diagnostics");
    this.draftStatus = page.getByTestId("draft-status");
  }

  async open(): Promise<void> {
    await this.page.goto("/editor");
    await this.heading.waitFor();
    // Monaco is about 1 MB of script: give a cold, busy CI machine time to load it.
    await this.monaco.waitFor({ timeout: 45_000 });
  }

  /** Puts the cursor at the end of a 1-based line of the editor. */
  async goToEndOfLine(line: number): Promise<void> {
    await this.monaco.click();
    await this.page.keyboard.press("Control+Home");
    for (let i = 1; i < line; i++) await this.page.keyboard.press("ArrowDown");
    await this.page.keyboard.press("End");
  }

  /** Opens a new line below `line` and types `text` (Monaco keeps the indentation). */
  async insertLineAfter(line: number, text: string): Promise<void> {
    await this.goToEndOfLine(line);
    await this.page.keyboard.press("Enter");
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Escape");
  }

  /** The lines Monaco renders (the whole Corefile fits in the editor's height). */
  get viewLines(): Locator {
    return this.monaco.locator(".view-lines");
  }

  async applyWithMessage(message: string): Promise<void> {
    await this.reviewButton.click();
    await expect(this.page.getByRole("region", { name: "Review" })).toBeVisible();
    await this.messageField.fill(message);
    await this.applyButton.click();
  }
}
