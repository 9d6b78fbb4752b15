/** Placeholder until its helper writes it. */
export function CreditsPage() {
  return (
    <section>
      <h1>CreditsPage</h1>
    </section>
  );
}
