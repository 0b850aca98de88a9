import { selectOpenModel, selectVariants, useWorkbench } from '../../store/index.js';
import { variantRows } from './variant-rows.js';

/** The variants recorded in the current model's workspace, newest last. */
export function VariantsList() {
  const variants = useWorkbench(selectVariants);
  const openModel = useWorkbench(selectOpenModel);
  if (variants === null || variants.variants.length === 0) return null;
  return (
    <section className="optimize-variants" aria-label="Variants of this model">
      <h3>Variants in {variants.workspace}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Made by</th>
            <th scope="col">Made</th>
            <th scope="col">Nodes</th>
            <th scope="col">MACs</th>
            <th scope="col">Outputs</th>
            <th scope="col">Latency</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {variantRows(variants.variants).map((row) => (
            <tr key={row.id}>
              <td className="mono">{row.id}</td>
              <td>{row.madeBy}</td>
              <td>{row.made}</td>
              <td className="num">{row.nodes}</td>
              <td className="num">{row.macs}</td>
              <td>{row.fidelity}</td>
              <td className="num">{row.latency}</td>
              <td>
                {row.present ? (
                  <button type="button" className="link-button" onClick={() => void openModel(row.path)}>
                    Open
                  </button>
                ) : (
                  <span className="muted" title={row.path}>
                    file missing
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
