/**
 * UI texts of the facilitator feature (issue 11), merged into the catalogue by `../messages.ts`.
 * English is the reference; counts use ICU plural syntax (`{count, plural, one {# vote} other {# votes}}`,
 * Russian one/few/many/other, branch texts with `#` or several words).
 */
export const facilitatorEn = {
} as const

type Of<T> = { readonly [K in keyof T]: string }

export const facilitatorFi: Of<typeof facilitatorEn> = {
}

export const facilitatorEt: Of<typeof facilitatorEn> = {
}

export const facilitatorRu: Of<typeof facilitatorEn> = {
}
