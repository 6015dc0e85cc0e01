import { expect, type Locator, type Page } from "@playwright/test";

/** The Recipes card of the editor page: the recipe buttons, one open form, its preview and outcome. */
export class RecipesPanel {
  readonly card: Locator;

  constructor(private readonly page: Page) {
    this.card = page.getByRole("region", { name: "Recipes" });
  }

  /** The button that opens or closes a recipe (its accessible name is the recipe's title). */
  recipeButton(title: string | RegExp): Locator {
    return this.card.getByRole("button", { name: title, exact: typeof title === "string" });
  }

  /** Opens a recipe and returns its form. */
  async open(title: string): Promise<Locator> {
    const button = this.recipeButton(title);
    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    return this.form(title);
  }

  form(title: string): Locator {
    return this.card.getByRole("form", { name: title });
  }

  services(form: Locator): Locator {
    return form.getByRole("list", { name: "DNS Services" });
  }

  preview(form: Locator): Locator {
    return form.getByRole("region", { name: "Preview" });
  }

  outcome(form: Locator): Locator {
    return form.getByRole("status").filter({ hasText: /Inserted|Already in place/ });
  }

  async insert(form: Locator): Promise<void> {
    await form.getByRole("button", { name: "Insert into the Corefile" }).click();
  }
}
