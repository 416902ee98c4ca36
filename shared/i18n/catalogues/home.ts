/**
 * UI texts of the home feature (issue 11), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (`{count, plural, one {# vote} other {# votes}}`,
 * Russian one/few/many/other, branch texts with `#` or several words).
 */
export const homeEn = {
  myBoards: 'My boards',
  myBoardsIntro: 'Boards you facilitate in this browser, most recent activity first.',
  myBoardsEmpty: 'Boards you create or facilitate in this browser will be listed here.',
  myBoardsCount: '{count, plural, one {# board} other {# boards}}',
  untitledBoard: 'Untitled board',
  lastActivity: 'Last activity: {when}',
  boardTemplates: 'Templates',
  boardNoTemplates: 'No templates yet',
  openBoard: 'Open',
  copyLinks: 'Copy links',
  linksCopied: 'Links copied',
  copyLinksFailed: 'The links could not be loaded. Open the board and use Share.',
  removeFromList: 'Remove from list',
  removeFromListConfirm: 'Remove “{title}” from this browser’s list? The board and its links stay as they are.',
  confirmRemove: 'Remove',
} as const

type Of<T> = { readonly [K in keyof T]: string }

export const homeFi: Of<typeof homeEn> = {
  myBoards: 'Omat taulut',
  myBoardsIntro: 'Taulut, joita fasilitoit tällä selaimella, viimeksi käytetyt ensin.',
  myBoardsEmpty: 'Tällä selaimella luomasi tai fasilitoimasi taulut näkyvät tässä.',
  myBoardsCount: '{count, plural, one {# taulu} other {# taulua}}',
  untitledBoard: 'Nimetön taulu',
  lastActivity: 'Viimeksi käytetty: {when}',
  boardTemplates: 'Pohjat',
  boardNoTemplates: 'Ei vielä pohjia',
  openBoard: 'Avaa',
  copyLinks: 'Kopioi linkit',
  linksCopied: 'Linkit kopioitu',
  copyLinksFailed: 'Linkkejä ei saatu ladattua. Avaa taulu ja valitse Jaa.',
  removeFromList: 'Poista listalta',
  removeFromListConfirm: 'Poistetaanko ”{title}” tämän selaimen listalta? Taulu ja sen linkit säilyvät ennallaan.',
  confirmRemove: 'Poista',
}

export const homeEt: Of<typeof homeEn> = {
  myBoards: 'Minu tahvlid',
  myBoardsIntro: 'Tahvlid, mida sa selles brauseris läbi viid, viimati kasutatud eespool.',
  myBoardsEmpty: 'Siin on loetelu tahvlitest, mille sa selles brauseris lood või mida läbi viid.',
  myBoardsCount: '{count, plural, one {# tahvel} other {# tahvlit}}',
  untitledBoard: 'Pealkirjata tahvel',
  lastActivity: 'Viimati kasutatud: {when}',
  boardTemplates: 'Mallid',
  boardNoTemplates: 'Malle veel pole',
  openBoard: 'Ava',
  copyLinks: 'Kopeeri lingid',
  linksCopied: 'Lingid kopeeritud',
  copyLinksFailed: 'Linke ei õnnestunud laadida. Ava tahvel ja vali Jaga.',
  removeFromList: 'Eemalda loendist',
  removeFromListConfirm: 'Kas eemaldada „{title}“ selle brauseri loendist? Tahvel ja selle lingid jäävad alles.',
  confirmRemove: 'Eemalda',
}

export const homeRu: Of<typeof homeEn> = {
  myBoards: 'Мои доски',
  myBoardsIntro: 'Доски, которые вы ведёте в этом браузере, сначала недавние.',
  myBoardsEmpty: 'Здесь появятся доски, которые вы создаёте или ведёте в этом браузере.',
  myBoardsCount: '{count, plural, one {# доска} few {# доски} many {# досок} other {# доски}}',
  untitledBoard: 'Доска без названия',
  lastActivity: 'Последняя активность: {when}',
  boardTemplates: 'Шаблоны',
  boardNoTemplates: 'Шаблонов пока нет',
  openBoard: 'Открыть',
  copyLinks: 'Скопировать ссылки',
  linksCopied: 'Ссылки скопированы',
  copyLinksFailed: 'Не удалось загрузить ссылки. Откройте доску и нажмите «Поделиться».',
  removeFromList: 'Убрать из списка',
  removeFromListConfirm: 'Убрать «{title}» из списка этого браузера? Доска и её ссылки останутся как есть.',
  confirmRemove: 'Убрать',
}
