/** Placeholder until its helper writes it. */
export function AdminUpstreamsPage() {
  return (
    <section>
      <h1>AdminUpstreamsPage</h1>
    </section>
  );
}
