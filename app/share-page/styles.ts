/**
 * The share page's whole stylesheet. It goes into one `<style>` element
 * because the page loads no other assets but the island's script, and the
 * CSP allows inline styles. Mobile first: one column, wider margins from 40rem.
 */
export const shareStyles = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
  color: #1f2328;
  background: #f5f5f2;
}
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.75rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
p { margin: 0 0 0.75rem; }
ul { margin: 0; padding-left: 1.25rem; }
li { margin-bottom: 0.35rem; }
.label { font-size: 1.1rem; font-weight: 600; overflow-wrap: anywhere; white-space: pre-line; }
.box { background: #fff; border: 1px solid #d8d8d2; border-radius: 0.5rem; padding: 1rem; margin: 0 0 1rem; }
.notice { border-left: 4px solid #b35c00; background: #fff7ec; padding: 0.75rem 1rem; border-radius: 0.25rem; }
.muted { color: #57606a; font-size: 0.95rem; }
.field { display: block; margin-bottom: 1rem; }
.field span { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.field small { display: block; color: #57606a; }
.field input { width: 100%; font: inherit; padding: 0.6rem 0.7rem; border: 1px solid #8c959f; border-radius: 0.375rem; background: #fff; }
.drop { display: block; text-align: center; border: 2px dashed #8c959f; border-radius: 0.5rem; padding: 1.25rem 1rem; background: #fafaf8; cursor: pointer; }
.drop-active { border-color: #0b5cad; background: #eef5fd; }
.drop-disabled { cursor: default; opacity: 0.6; }
.button { display: inline-block; margin-top: 0.5rem; padding: 0.7rem 1.2rem; min-height: 2.75rem; border-radius: 0.375rem; background: #0b5cad; color: #fff; font-weight: 600; }
.drop:focus-within .button { outline: 3px solid #f0b400; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.link-button { font: inherit; color: #0b5cad; background: none; border: 0; padding: 0.25rem; text-decoration: underline; cursor: pointer; }
.files { list-style: none; padding: 0; margin: 1rem 0 0; }
.file { background: #fff; border: 1px solid #d8d8d2; border-radius: 0.5rem; padding: 0.75rem; margin-bottom: 0.5rem; }
.file-name { font-weight: 600; overflow-wrap: anywhere; }
.file-status { display: block; font-size: 0.95rem; color: #57606a; }
.file-done .file-status { color: #1a7f37; font-weight: 600; }
.file-error .file-status { color: #b42318; }
progress { display: block; width: 100%; height: 0.75rem; margin: 0.4rem 0 0.2rem; accent-color: #0b5cad; }
.resume { margin-top: 1rem; }
.total { margin-top: 1rem; font-weight: 600; }
@media (min-width: 40rem) {
  main { padding-top: 3rem; }
  h1 { font-size: 2rem; }
}
`;
