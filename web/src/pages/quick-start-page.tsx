/** Placeholder until its helper writes it. */
export function QuickStartPage() {
  return (
    <section>
      <h1>QuickStartPage</h1>
    </section>
  );
}
