/** Placeholder until its helper writes it. */
export function UsagePage() {
  return (
    <section>
      <h1>UsagePage</h1>
    </section>
  );
}
