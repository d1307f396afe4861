import type { DocumentReference } from '@medplum/fhirtypes';
import { h } from './dom.js';
import { conceptText, dateText, firstConceptText, referenceText } from './fhir-text.js';
import { itemCard, statusText } from './item-card.js';
import { ofType, type SectionContext, type SectionSpec } from './section.js';

function attachmentButtons(
  document: DocumentReference,
  context: SectionContext,
): HTMLElement | null {
  const attachments = (document.content ?? []).map((content) => content.attachment);
  if (attachments.length === 0) return null;
  return h(
    'ul',
    { class: 'attachments' },
    ...attachments.map((attachment, index) => {
      const label = attachment.title ?? `Attachment ${index + 1}`;
      const button = (mode: 'open' | 'download', text: string) => {
        const element = h(
          'button',
          { type: 'button', class: 'link-button', 'aria-label': `${text} ${label}` },
          text,
        );
        element.addEventListener('click', () => {
          element.disabled = true;
          // openAttachment reports its own failures in the page; this only re-enables the button.
          void context.openAttachment(attachment, mode).finally(() => {
            element.disabled = false;
          });
        });
        return element;
      };
      return h(
        'li',
        {},
        h('span', { class: 'attachment-name' }, label),
        attachment.contentType
          ? h('span', { class: 'muted' }, ` (${attachment.contentType})`)
          : null,
        ' ',
        button('open', 'Open'),
        ' ',
        button('download', 'Download'),
      );
    }),
  );
}

/** Clinical documents, each with its attachments to open or download. */
export const documentSection: SectionSpec = {
  resourceType: 'DocumentReference',
  title: 'Documents',
  alsoReads: ['Binary'],
  load: (source, patientId) => source.search('DocumentReference', { patient: patientId }),
  render: (resources, context) =>
    ofType<DocumentReference>(resources, 'DocumentReference').map((document) =>
      itemCard(
        'DocumentReference',
        conceptText(document.type) ?? document.description ?? 'Document',
        [
          ['Date', dateText(document.date ?? document.context?.period?.start)],
          ['Kind', firstConceptText(document.category)],
          ['Author', referenceText(document.author?.[0])],
          ['Status', statusText(document.docStatus ?? document.status)],
          ['About', document.type ? document.description : undefined],
        ],
        attachmentButtons(document, context),
      ),
    ),
};
