/** Placeholder until its helper writes it. */
export function RequestsPage() {
  return (
    <section>
      <h1>RequestsPage</h1>
    </section>
  );
}
