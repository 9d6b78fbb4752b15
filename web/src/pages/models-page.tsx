/** Placeholder until its helper writes it. */
export function ModelsPage() {
  return (
    <section>
      <h1>ModelsPage</h1>
    </section>
  );
}
