/** Placeholder until its helper writes it. */
export function KeysPage() {
  return (
    <section>
      <h1>KeysPage</h1>
    </section>
  );
}
