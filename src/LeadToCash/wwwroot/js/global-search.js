// The global search's keyboard shortcut: "/" (when not typing in a field) or Ctrl+K / Cmd+K opens the search box.
export function register(component) {
  const typing = target => target instanceof HTMLElement
    && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  const onKey = event => {
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
    const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k';
    if (slash || ctrlK) {
      event.preventDefault();
      component.invokeMethodAsync('OpenFromShortcut');
    }
  };
  document.addEventListener('keydown', onKey);
  return { dispose: () => document.removeEventListener('keydown', onKey) };
}
