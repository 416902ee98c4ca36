import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLPage, type TLPageId } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { BOARD_PAGE_ID, DocLayout } from '../shared/protocol.ts'
import { tlSchema } from './validation.ts'

/**
 * The initial Yjs update of a new board: tldraw's document record, the one shared page
 * and the schema the records were written with (doc layout in shared/protocol.ts).
 * `extraRecords` (templates placed at creation) are written in the same update.
 */
export function initialBoardUpdate(extraRecords: { id: string }[] = []): Uint8Array {
  const doc = new Y.Doc()
  const records = doc.getMap<unknown>(DocLayout.records)
  doc.transact(() => {
    const document = DocumentRecordType.create({ id: TLDOCUMENT_ID })
    const page = PageRecordType.create({ id: BOARD_PAGE_ID as TLPageId, name: 'Page 1', index: 'a1' as TLPage['index'] })
    records.set(document.id, document)
    records.set(page.id, page)
    for (const r of extraRecords) records.set(r.id, r)
    doc.getMap(DocLayout.meta).set(DocLayout.schemaKey, tlSchema.serialize())
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
