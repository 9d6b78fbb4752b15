/** Placeholder until its helper writes it. */
export function AdminVouchersPage() {
  return (
    <section>
      <h1>AdminVouchersPage</h1>
    </section>
  );
}
