import { RestoreStep } from '@backups-for-backstage/plugin-backups-common';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';

/** The steps of a running restore or drill, as they advance. */
export function StepsProgress(props: {
  /** The region's accessible name. */
  label: string;
  heading: string;
  steps: RestoreStep[];
}) {
  const { steps } = props;
  const active = steps.findIndex(step => step.state !== 'succeeded');
  return (
    <div aria-label={props.label}>
      <Typography variant="subtitle2">{props.heading}</Typography>
      <Stepper
        orientation="vertical"
        activeStep={active === -1 ? steps.length : active}
      >
        {steps.map(step => (
          <Step key={step.name} completed={step.state === 'succeeded'}>
            <StepLabel error={step.state === 'failed'}>{step.title}</StepLabel>
            <StepContent>
              <Typography variant="body2" role="status">
                {step.message ??
                  (step.state === 'running' ? 'In progress…' : 'Waiting')}
              </Typography>
            </StepContent>
          </Step>
        ))}
      </Stepper>
    </div>
  );
}
