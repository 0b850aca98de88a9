import { useEffect } from 'react';
import { useWorkbench } from '../store/index.js';
import { dropOutcome } from './model-drop.js';

/** Opens `.onnx` files dropped anywhere on the window; `onRefuse` hears why a drop did nothing. */
export function useModelDrop(onRefuse: (message: string) => void): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (file === undefined) return;
      e.preventDefault();
      const outcome = dropOutcome(file.name, window.whittle?.pathForFile(file));
      if ('open' in outcome) void useWorkbench.getState().openModel(outcome.open);
      else onRefuse(outcome.refuse);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onRefuse]);
}
