import { useMessages } from '../../i18n/locale-context.tsx';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';

/**
 * The allow-list as checkboxes over the catalogue's model ids. Nothing ticked means every model,
 * which is also what the API stores as `null`.
 */
export function ModelPicker({
  models,
  selected,
  onChange,
  hintId,
}: {
  models: readonly string[];
  selected: readonly string[];
  onChange(next: string[]): void;
  hintId: string;
}) {
  const t = useMessages(keysMessages);
  // A model allowed earlier but gone from the catalogue stays visible, so it can be removed.
  const choices = [...models, ...selected.filter((model) => !models.includes(model))];
  const toggle = (model: string, on: boolean) => {
    const next = on ? [...selected, model] : selected.filter((item) => item !== model);
    onChange(choices.filter((choice) => next.includes(choice)));
  };
  return (
    <fieldset className="model-picker" aria-describedby={hintId}>
      <legend>{t('allowedModels')}</legend>
      <p id={hintId} className="hint">
        {t('allowedModelsHint')}
      </p>
      <div className="model-picker-choices">
        {choices.map((model) => (
          <label key={model} className="checkbox-label">
            <input
              type="checkbox"
              name="allowedModels"
              value={model}
              checked={selected.includes(model)}
              onChange={(event) => toggle(model, event.target.checked)}
            />
            <code>{model}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
