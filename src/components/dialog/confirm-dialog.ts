/**
 * A question the reader answers before something they cannot take back
 * (seeing the solution, losing their code): a native modal <dialog>, so
 * focus is trapped inside it, Escape cancels, and focus returns to the
 * button that asked. Resolves to true only for the confirming button.
 */
export interface Question {
  title: string;
  body: string;
  /** The confirming button's label: says what happens ("Show the solution"). */
  confirm: string;
  /** The cancelling button's label ("Keep trying"). */
  cancel: string;
}

let asked = 0;

export function confirmDialog(question: Question): Promise<boolean> {
  const id = `weft-confirm-${++asked}`;
  const dialog = document.createElement('dialog');
  dialog.className = 'weft-confirm';
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  dialog.setAttribute('aria-describedby', `${id}-body`);
  const title = document.createElement('h2');
  title.id = `${id}-title`;
  title.className = 'weft-confirm__title';
  title.textContent = question.title;
  const body = document.createElement('p');
  body.id = `${id}-body`;
  body.textContent = question.body;
  const buttons = document.createElement('form');
  buttons.method = 'dialog';
  buttons.className = 'weft-confirm__buttons';
  const button = (label: string, value: string, primary: boolean) => {
    const b = document.createElement('button');
    b.value = value;
    b.className = `weft-example__button${primary ? ' weft-example__button--run' : ''}`;
    b.textContent = label;
    return b;
  };
  const cancel = button(question.cancel, 'cancel', false);
  buttons.append(cancel, button(question.confirm, 'confirm', true));
  dialog.append(title, body, buttons);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'confirm');
        dialog.remove();
      },
      { once: true },
    );
    dialog.showModal();
    // The safe answer has the focus: Enter by habit does not give anything away.
    cancel.focus();
  });
}
