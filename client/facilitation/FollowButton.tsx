/**
 * "Follow" beside a person in the participants panel (FOLLOW-C1): this editor follows their
 * view (tldraw's follow) until this person moves the camera or presses it again.
 */
import { createUserId, useEditor, useValue } from 'tldraw'
import { t } from '../../shared/i18n/index.ts'
import type { Participant } from '../state/session.ts'
import { useSession } from '../state/session.ts'

export function FollowButton({ person }: { person: Participant }) {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const target = createUserId(person.userId)
  const following = useValue('arvo following this', () => editor.getInstanceState().followingUserId === target, [editor, target])
  const present = useValue('arvo has presence', () => editor.getCollaborators().some((c) => c.userId === target), [editor, target])
  if (person.isSelf) return null
  return (
    <button
      className={`arvo-fac-follow${following ? ' is-on' : ''}`}
      data-testid="follow-person"
      data-person={person.userId}
      aria-pressed={following}
      disabled={!present && !following}
      aria-label={t(lang, following ? 'facUnfollowPerson' : 'facFollowPerson', { name: person.name })}
      title={t(lang, following ? 'facUnfollowPerson' : 'facFollowPerson', { name: person.name })}
      onClick={() => (following ? editor.stopFollowingUser() : editor.startFollowingUser(target))}
    >
      {t(lang, 'facFollow')}
    </button>
  )
}
