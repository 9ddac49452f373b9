/** Events of the ambassadors area; registered in events/event-types.ts. */
export const AmbassadorEventTypes = {
  AmbassadorCreated: 'ambassador.created',
  AmbassadorUpdated: 'ambassador.updated',
  CheckRecorded: 'ambassador.check_recorded',
  RequestCreated: 'ambassador_request.created',
  /** A place may be offered to someone new: a decline, an expired offer, a withdrawal. */
  WaveDue: 'ambassador_request.wave_due',
  RequestFilled: 'ambassador_request.filled',
  RequestCancelled: 'ambassador_request.cancelled',
  DeliveryConfirmed: 'ambassador_request.delivery_confirmed',
  OfferAccepted: 'ambassador_offer.accepted',
  OfferDeclined: 'ambassador_offer.declined',
  OfferWithdrew: 'ambassador_offer.withdrew',
  HoursLogged: 'ambassador_offer.hours_logged',
} as const;

export interface RequestFilledPayload {
  requestId: string;
  /** Offers still open when the last place was taken: each gets a kind "it has filled" email. */
  withdrawnOfferIds: string[];
}
