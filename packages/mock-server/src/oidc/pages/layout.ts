const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

// Keycloak's login theme, reduced to what these screens use; inline because the CSP allows no
// external resources.
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f0f0f0;color:#151515}
header{background:#0b3a5d;color:#fff;padding:1.5rem;text-align:center;font-size:1.6rem;letter-spacing:.04em}
main{max-width:32rem;margin:2rem auto;background:#fff;padding:2rem;border-top:4px solid #0066cc;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:1.4rem;margin:0 0 1.5rem}label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.5rem;border:1px solid #8a8d90;font-size:1rem}
input:focus,button:focus{outline:2px solid #0066cc;outline-offset:2px}
fieldset{border:1px solid #d2d2d2;margin:0 0 1rem;padding:.75rem 1rem}legend{font-weight:600}
fieldset label{font-weight:400;display:flex;gap:.5rem;align-items:center;margin:.25rem 0}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{flex:1;padding:.6rem 1rem;font-size:1rem;border:0;background:#0066cc;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0066cc;border:1px solid #0066cc}
.alert{background:#faeae8;border-left:4px solid #c9190b;padding:.75rem 1rem;margin-bottom:1rem}
.info{color:#4f5255;font-size:.9rem}code{background:#f5f5f5;padding:0 .2rem}
pre{overflow:auto;background:#f5f5f5;padding:1rem;font-size:.85rem}table{border-collapse:collapse}td,th{padding:.25rem .5rem;text-align:left;vertical-align:top}
.wide{max-width:60rem}
`;

/** A complete page in Keycloak's look: no scripts, no external resources. */
export function renderPage(title: string, body: string, options: { wide?: boolean } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="kc-header">NEXTGEN</header>
<main id="kc-content"${options.wide ? ' class="wide"' : ''}>
${body}
</main>
</body>
</html>
`;
}

/** The alert box for an error message, or nothing. */
export function renderAlert(message: string | undefined): string {
  return message
    ? `<div class="alert" role="alert" id="input-error">${escapeHtml(message)}</div>`
    : '';
}
