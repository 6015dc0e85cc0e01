import { expect, type Locator, type Page } from "@playwright/test";

/** The pipeline board of the Editor page (shown in the "Text + board" and "Board" views). */
export class BoardPage {
  readonly region: Locator;
  readonly status: Locator;
  readonly undoButton: Locator;
  readonly redoButton: Locator;
  readonly newBlockKeys: Locator;

  constructor(private readonly page: Page) {
    this.region = page.getByRole("region", { name: "Pipeline board" });
    this.status = page.getByTestId("board-status");
    this.undoButton = this.region.getByRole("button", { name: /^Undo/ });
    this.redoButton = this.region.getByRole("button", { name: "Redo" });
    this.newBlockKeys = this.region.getByLabel("New server block keys");
  }

  /** Switches the editor to text and board side by side. */
  async showBesideText(): Promise<void> {
    await this.page.getByRole("radiogroup", { name: "Editor view" }).getByRole("radio", { name: "Text + board" }).click();
    await expect(this.region).toBeVisible();
  }

  block(title: string): Locator {
    return this.region.getByRole("listitem", { name: `Server block ${title}`, exact: true });
  }

  /** The draggable part of a directive card (its name and arguments). */
  card(blockTitle: string, name: string): Locator {
    return this.block(blockTitle).getByRole("button", { name: new RegExp(`^${name}[ ,]`) });
  }

  /** The names of a block's cards, in text order. */
  async cardNames(blockTitle: string): Promise<string[]> {
    const list = this.block(blockTitle).getByRole("list", { name: `Plugins of ${blockTitle} in text order` });
    const labels = await list.locator("[data-activator-id]").evaluateAll((els) => els.map((el) => el.getAttribute("aria-label") ?? ""));
    return labels.map((label) => label.split(/[ ,]/)[0] ?? "");
  }

  async addBlock(keys: string): Promise<void> {
    await this.newBlockKeys.fill(keys);
    await this.region.getByRole("button", { name: "Add server block" }).click();
    await expect(this.block(keys)).toBeVisible();
  }

  /** Drags a card with the mouse onto the empty area at the end of another block. */
  async dragCardToEndOf(fromBlock: string, name: string, toBlock: string): Promise<void> {
    const source = await this.card(fromBlock, name).boundingBox();
    const target = await this.block(toBlock).getByText(/drop a plugin here|Drop here to put it last/).boundingBox();
    if (!source || !target) throw new Error("The card or the block is not on screen.");
    const from = { x: source.x + 20, y: source.y + source.height / 2 };
    const to = { x: target.x + target.width / 2, y: target.y + target.height / 2 };
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    // Past the activation distance first, then across in steps so dnd-kit sees the pointer travel.
    await this.page.mouse.move(from.x + 10, from.y + 10, { steps: 4 });
    await this.page.mouse.move(to.x, to.y, { steps: 20 });
    await this.page.mouse.move(to.x + 2, to.y + 2, { steps: 2 });
    await this.page.mouse.up();
  }

  /** What dnd-kit last told screen readers. */
  get announcement(): Locator {
    return this.page.locator("[id^='DndLiveRegion']");
  }

  /**
   * Picks a card up with Space, presses an arrow key `times` times, and drops it with Space, waiting after each key
   * for the screen-reader announcement a user would hear.
   */
  async moveCardByKeyboard(blockTitle: string, name: string, key: "ArrowUp" | "ArrowDown", times: number): Promise<void> {
    const card = this.card(blockTitle, name);
    await card.focus();
    await this.page.keyboard.press("Space");
    await expect(card).toHaveAttribute("aria-pressed", "true");
    await expect(this.announcement).toContainText(`${name} is over`);
    for (let i = 0; i < times; i++) {
      const heard = (await this.announcement.textContent()) ?? "";
      await this.page.keyboard.press(key);
      await expect(this.announcement).not.toHaveText(heard);
    }
    await this.page.keyboard.press("Space");
  }
}
