/** Placeholder until its helper writes it. */
export function AdminAccountsPage() {
  return (
    <section>
      <h1>AdminAccountsPage</h1>
    </section>
  );
}
