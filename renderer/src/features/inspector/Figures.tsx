/** A labelled figure: its label, its text, and the exact value or an explanation on hover. */
export type Figure = readonly [label: string, text: string, title?: string];

/** Figures as a definition list, one label and value per row. */
export function Figures({ figures, className }: { figures: readonly Figure[]; className: string }) {
  return (
    <dl className={className}>
      {figures.map(([label, text, title]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd title={title}>{text}</dd>
        </div>
      ))}
    </dl>
  );
}
