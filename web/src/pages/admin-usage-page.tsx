/** Placeholder until its helper writes it. */
export function AdminUsagePage() {
  return (
    <section>
      <h1>AdminUsagePage</h1>
    </section>
  );
}
