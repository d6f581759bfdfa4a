"""Background work for reviews, run by the task worker (`lantern worker`)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from lantern.reviews.models import Alert, Review


@task()
def alert_coordinators_of_notification(*, review_id: int) -> int:
    """Tell every coordinator of the review's CSP that a death has been notified.

    The alert is in the service and by email; the email names only the reference, never a person.
    """
    from lantern.reviews.services import coordinators_of

    review = Review.objects.select_related("csp").get(pk=review_id)
    sent = 0
    for user in coordinators_of(review.csp):
        Alert.objects.create(
            user=user,
            review=review,
            message=f"New notification {review.reference}: the decision is due within a month.",
        )
        if user.email:
            send_mail(
                subject=f"Lantern: new notification {review.reference}",
                message=(
                    f"A death has been notified to {review.csp.name} ({review.reference}).\n"
                    "Sign in to Lantern to see it: "
                    f"{reverse('reviews:detail', args=[review.reference])}\n"
                ),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        sent += 1
    return sent
