import { expect, type Locator, type Page } from "@playwright/test";

/** The plugin form a directive card of the board opens: its fields, Apply and Cancel. */
export class PluginFormPanel {
  constructor(private readonly page: Page) {}

  /** Shows the board beside the text editor (the form opens from a board card; Monaco stays visible). */
  async showBoard(): Promise<void> {
    await this.page.getByRole("radiogroup", { name: "Editor view" }).getByRole("radio", { name: "Text + board" }).click();
    await expect(this.page.getByRole("region", { name: "Pipeline board" })).toBeVisible();
  }

  /** The card button that opens the form of the first directive named `plugin`. */
  editButton(plugin: string): Locator {
    return this.page.getByRole("button", { name: new RegExp(`^Edit ${plugin}\\b`) }).first();
  }

  /** Opens the form of the first `plugin` directive and returns it. */
  async open(plugin: string): Promise<Locator> {
    await this.editButton(plugin).click();
    const form = this.form(plugin);
    await expect(form).toBeVisible();
    return form;
  }

  form(plugin: string): Locator {
    return this.page.getByRole("form", { name: `Edit ${plugin}` });
  }

  applyButton(form: Locator): Locator {
    return form.getByRole("button", { name: "Apply", exact: true });
  }

  async apply(form: Locator): Promise<void> {
    await expect(this.applyButton(form)).toBeEnabled();
    await this.applyButton(form).click();
    await expect(form).toBeHidden();
  }
}
